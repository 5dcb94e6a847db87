import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { TotpSetup } from '$lib/server/accounts/index.js';
import { callApi } from './api.server';
import { apiFailure, check, field, invalid, type FieldErrors, type FormState } from './forms.server';
import { localizePath } from './locale';

export interface TotpFormState extends FormState {
  form: 'totp';
  secret?: string;
  uri?: string;
  done?: 'enabled' | 'disabled';
}

/** Two-factor actions, shared by the enrolment page and My account. */
export async function totpSetupAction(event: RequestEvent) {
  const result = await callApi<TotpSetup>(event, 'POST', '/account/totp/setup');
  if (!result.ok) return apiFailure(event, 'totp', result);
  return { form: 'totp', secret: result.data.secret, uri: result.data.uri } satisfies TotpFormState;
}

/**
 * Confirms the app with a code. The secret and URI come back in hidden fields only so that a wrong code can show
 * them again; the API keeps its own copy and never reads these.
 */
export async function totpEnableAction(event: RequestEvent, after: string | undefined) {
  const data = await event.request.formData();
  const code = field(data, 'code').replace(/\s/g, '');
  const shown = { secret: field(data, 'secret'), uri: field(data, 'uri') };
  const errors: FieldErrors = {};
  check.totp(errors, 'code', code);
  if (Object.keys(errors).length) return fail(422, { ...invalid('totp', errors).data, ...shown });

  const result = await callApi(event, 'POST', '/account/totp/enable', { code });
  if (!result.ok) {
    const failure = apiFailure(event, 'totp', result, {}, { code: 'code' });
    return fail(failure.status, { ...failure.data, ...shown });
  }
  if (after) redirect(303, localizePath(after, event.locals.locale));
  return { form: 'totp', done: 'enabled', message: m.totp_enabled() } satisfies TotpFormState;
}

export async function totpDisableAction(event: RequestEvent) {
  const data = await event.request.formData();
  const password = field(data, 'password');
  const code = field(data, 'code').replace(/\s/g, '');
  const errors: FieldErrors = {};
  check.required(errors, 'password', password);
  check.totp(errors, 'code', code);
  if (Object.keys(errors).length) return invalid('totpDisable', errors);
  const result = await callApi(event, 'POST', '/account/totp/disable', { password, code });
  if (!result.ok) return apiFailure(event, 'totpDisable', result, {}, { password: 'password', code: 'code' });
  return { form: 'totp', done: 'disabled', message: m.totp_disabled() } satisfies TotpFormState;
}
