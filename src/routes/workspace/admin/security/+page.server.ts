import * as m from '$lib/paraglide/messages';
import type { SecuritySettings } from '$lib/server/accounts/index.js';
import { isRole } from '$lib/server/http/access.js';
import { apiGet, callApi } from '$lib/web/api.server';
import { apiFailure, type FormState } from '$lib/web/forms.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
  settings: await apiGet<SecuritySettings>(event, '/settings/security'),
});

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    // Admins always need a second factor; the box is shown checked and disabled, so it is added here.
    const roles = [...new Set(['admin', ...data.getAll('require2fa').map(String)])].filter(isRole);
    const result = await callApi(event, 'PUT', '/settings/security', { require2faRoles: roles });
    if (!result.ok) return apiFailure(event, 'security', result);
    return { form: 'security', message: m.security_saved() } satisfies FormState;
  },
};
