import { redirect } from '@sveltejs/kit';
import { localizePath } from '$lib/web/locale';
import { totpEnableAction, totpSetupAction } from '$lib/web/totp.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  // Only an account that owes its second factor belongs here; others manage 2FA in My account.
  if (locals.user && !locals.user.pendingSecondFactor) redirect(303, localizePath('/workspace/account', locals.locale));
  return {};
};

export const actions: Actions = {
  totpSetup: (event) => totpSetupAction(event),
  totpEnable: (event) => totpEnableAction(event, '/workspace'),
};
