import * as m from '$lib/paraglide/messages';
import type { ApiTokenView, CreatedApiToken } from '$lib/server/accounts/index.js';
import { apiGet, callApi } from '$lib/web/api.server';
import { apiFailure, check, field, invalid, type FieldErrors, type FormState } from '$lib/web/forms.server';
import { totpDisableAction, totpEnableAction, totpSetupAction } from '$lib/web/totp.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const tokens = await apiGet<{ items: ApiTokenView[] }>(event, '/account/tokens');
  return { tokens: tokens.items };
};

export const actions: Actions = {
  password: async (event) => {
    const data = await event.request.formData();
    const currentPassword = field(data, 'currentPassword');
    const newPassword = field(data, 'newPassword');
    const errors: FieldErrors = {};
    check.required(errors, 'currentPassword', currentPassword);
    check.newPassword(errors, 'newPassword', newPassword, {
      name: 'confirmPassword',
      value: field(data, 'confirmPassword'),
    });
    if (Object.keys(errors).length) return invalid('password', errors);
    const result = await callApi(event, 'POST', '/account/password', { currentPassword, newPassword });
    if (!result.ok) return apiFailure(event, 'password', result);
    return { form: 'password', message: m.pw_done() } satisfies FormState;
  },

  totpSetup: (event) => totpSetupAction(event),
  totpEnable: (event) => totpEnableAction(event, undefined),
  totpDisable: (event) => totpDisableAction(event),

  tokenCreate: async (event) => {
    const data = await event.request.formData();
    const name = field(data, 'name').trim();
    const errors: FieldErrors = {};
    check.required(errors, 'name', name);
    if (Object.keys(errors).length) return invalid('token', errors, { name });
    const result = await callApi<CreatedApiToken>(event, 'POST', '/account/tokens', { name });
    if (!result.ok) return apiFailure(event, 'token', result, { name });
    // The secret is in this one response only; the page shows it once and never again.
    return {
      form: 'token',
      message: m.tokens_new({ name: result.data.name }),
      created: result.data.token,
    } satisfies FormState & { created: string };
  },

  tokenRevoke: async (event) => {
    const id = field(await event.request.formData(), 'id');
    const result = await callApi(event, 'DELETE', `/account/tokens/${encodeURIComponent(id)}`);
    if (!result.ok) return apiFailure(event, 'token', result);
    return { form: 'token', message: m.tokens_revoked() } satisfies FormState;
  },
};
