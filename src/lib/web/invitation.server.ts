import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { InvitationStatus, Me } from '$lib/server/accounts/index.js';
import { PASSWORD_MIN } from '$lib/server/accounts/index.js';
import { callApi } from './api.server';
import { apiFailure, check, field, invalid, type FieldErrors } from './forms.server';
import { ENROL_PATH } from './guard';
import { localizePath } from './locale';

/** Shared by the one-time setup link and invitation links: both accept through /api/invitations/{token}/accept. */
export async function loadInvitation(event: RequestEvent<{ token: string }>) {
  const result = await callApi<InvitationStatus>(
    event,
    'GET',
    `/invitations/${encodeURIComponent(event.params.token)}`,
  );
  const status: InvitationStatus = result.ok
    ? result.data
    : { valid: false, reason: 'unknown', kind: null, email: null, role: null, expiresAt: null };
  return { invitation: status, passwordMin: PASSWORD_MIN };
}

export async function acceptInvitation(event: RequestEvent<{ token: string }>) {
  const data = await event.request.formData();
  const displayName = field(data, 'displayName').trim();
  const emailInput = field(data, 'email').trim();
  const password = field(data, 'password');
  const confirm = field(data, 'confirm');
  const values = { displayName, email: emailInput };

  const { invitation } = await loadInvitation(event);
  // An invitation fixes the address; a setup link asks for it.
  const email = invitation.email ?? emailInput;
  const errors: FieldErrors = {};
  check.required(errors, 'displayName', displayName);
  if (!invitation.email) check.email(errors, 'email', emailInput);
  check.newPassword(errors, 'password', password, { name: 'confirm', value: confirm });
  if (Object.keys(errors).length) return invalid('accept', errors, values);

  const token = encodeURIComponent(event.params.token);
  const accepted = await callApi(event, 'POST', `/invitations/${token}/accept`, {
    displayName,
    password,
    email: invitation.email ? undefined : email,
  });
  if (!accepted.ok) return apiFailure(event, 'accept', accepted, values);

  // Sign the new account straight in; if that fails for any reason, the sign-in page takes over.
  const login = await callApi<Me>(event, 'POST', '/auth/login', { email, password });
  const locale = event.locals.locale;
  if (!login.ok) redirect(303, `${localizePath('/sign-in', locale)}?status=created`);
  redirect(303, localizePath(login.data.pendingSecondFactor ? ENROL_PATH : '/workspace', locale));
}
