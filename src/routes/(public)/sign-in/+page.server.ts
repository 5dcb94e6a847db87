import { fail, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { Me } from '$lib/server/accounts/index.js';
import { callApi } from '$lib/web/api.server';
import { apiFailure, check, field, invalid, type FieldErrors, type FormState } from '$lib/web/forms.server';
import { ENROL_PATH } from '$lib/web/guard';
import { localizePath, safeRedirectPath } from '$lib/web/locale';
import type { Actions, PageServerLoad } from './$types';

function destination(target: string | null, locale: App.Locals['locale']): string {
  return safeRedirectPath(target, localizePath('/workspace', locale));
}

export const load: PageServerLoad = ({ locals, url }) => {
  const redirectTo = url.searchParams.get('redirectTo');
  if (locals.user) {
    redirect(
      303,
      locals.user.pendingSecondFactor
        ? localizePath(ENROL_PATH, locals.locale)
        : destination(redirectTo, locals.locale),
    );
  }
  const status = url.searchParams.get('status');
  return {
    redirectTo: redirectTo ? safeRedirectPath(redirectTo, '') : '',
    notice: status === 'signed-out' ? m.signin_signed_out() : status === 'created' ? m.signin_account_ready() : '',
  };
};

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const email = field(data, 'email').trim();
    const password = field(data, 'password');
    const totp = field(data, 'totp').replace(/\s/g, '');
    const wantsTotp = data.has('totp');
    const redirectTo = field(data, 'redirectTo');
    const values = { email, redirectTo, totp: wantsTotp ? 'shown' : '' };

    const errors: FieldErrors = {};
    check.required(errors, 'email', email);
    check.required(errors, 'password', password);
    if (wantsTotp) check.totp(errors, 'totp', totp);
    if (Object.keys(errors).length) return invalid('signin', errors, values);

    const result = await callApi<Me>(event, 'POST', '/auth/login', { email, password, totp: totp || undefined });
    if (result.ok) {
      // The API's Set-Cookie travels back to the browser on this redirect.
      const me = result.data;
      redirect(
        303,
        me.pendingSecondFactor
          ? localizePath(ENROL_PATH, event.locals.locale)
          : destination(redirectTo, event.locals.locale),
      );
    }
    if (result.slug === 'totp-required') {
      return fail(401, {
        form: 'signin',
        message: m.signin_totp_needed(),
        errors: {},
        values: { ...values, totp: 'shown' },
      } satisfies FormState);
    }
    if (result.slug === 'totp-invalid') {
      return fail(401, {
        form: 'signin',
        message: m.error_totp_invalid(),
        errors: { totp: m.error_totp_invalid() },
        values: { ...values, totp: 'shown' },
      } satisfies FormState);
    }
    return apiFailure(event, 'signin', result, values, { email: 'email', password: 'password', totp: 'totp' });
  },
};
