import * as m from '$lib/paraglide/messages';
import type { CreatedInvitation, InvitationView, UserView } from '$lib/server/accounts/index.js';
import { isRole } from '$lib/server/http/access.js';
import { apiGet, callApi } from '$lib/web/api.server';
import { apiFailure, check, field, invalid, type FieldErrors, type FormState } from '$lib/web/forms.server';
import { localizePath } from '$lib/web/locale';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const [users, invitations] = await Promise.all([
    apiGet<{ items: UserView[] }>(event, '/users'),
    apiGet<{ items: InvitationView[] }>(event, '/users/invitations'),
  ]);
  return { users: users.items, invitations: invitations.items };
};

export const actions: Actions = {
  invite: async (event) => {
    const data = await event.request.formData();
    const email = field(data, 'email').trim();
    const role = field(data, 'role');
    const values = { email, role };
    const errors: FieldErrors = {};
    check.email(errors, 'email', email);
    if (!isRole(role)) errors.role = m.field_required();
    if (Object.keys(errors).length) return invalid('invite', errors, values);
    const result = await callApi<CreatedInvitation>(event, 'POST', '/users/invitations', { email, role });
    if (!result.ok) return apiFailure(event, 'invite', result, values);
    // The token exists only in this answer: the admin copies the link now or creates a new invitation later.
    const link = `${event.url.origin}${localizePath(`/invite/${result.data.token}`, event.locals.locale)}`;
    return { form: 'invite', link, email, expiresAt: result.data.expiresAt } satisfies FormState & {
      link: string;
      email: string;
      expiresAt: string;
    };
  },

  role: async (event) => {
    const data = await event.request.formData();
    const id = field(data, 'id');
    const role = field(data, 'role');
    if (!isRole(role)) return invalid(`user:${id}`, { role: m.field_required() });
    const result = await callApi(event, 'PATCH', `/users/${encodeURIComponent(id)}`, { role });
    if (!result.ok) return apiFailure(event, `user:${id}`, result);
    return { form: `user:${id}`, message: m.users_saved() } satisfies FormState;
  },

  active: async (event) => {
    const data = await event.request.formData();
    const id = field(data, 'id');
    const active = field(data, 'active') === 'true';
    const result = await callApi(event, 'PATCH', `/users/${encodeURIComponent(id)}`, { active });
    if (!result.ok) return apiFailure(event, `user:${id}`, result);
    return { form: `user:${id}`, message: m.users_saved() } satisfies FormState;
  },

  revokeInvitation: async (event) => {
    const id = field(await event.request.formData(), 'id');
    const result = await callApi(event, 'DELETE', `/users/invitations/${encodeURIComponent(id)}`);
    if (!result.ok) return apiFailure(event, 'invitations', result);
    return { form: 'invitations', message: m.users_invite_revoked() } satisfies FormState;
  },
};
