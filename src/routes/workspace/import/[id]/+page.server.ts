import { redirect } from '@sveltejs/kit';
import type { ImportJob } from '$lib/server/transfer/index.js';
import { apiGet, callApi } from '$lib/web/api.server';
import { apiFailure, field } from '$lib/web/forms.server';
import { localizePath } from '$lib/web/locale';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const job = await apiGet<ImportJob>(event, `/imports/${encodeURIComponent(event.params.id)}`);
  return { job };
};

export const actions: Actions = {
  commit: async (event) => {
    const rows = field(await event.request.formData(), 'rows') === 'valid' ? 'valid' : 'all';
    const result = await callApi<ImportJob>(event, 'POST', `/imports/${encodeURIComponent(event.params.id)}/commit`, {
      rows,
    });
    if (!result.ok) return apiFailure(event, 'commit', result);
    redirect(303, localizePath(`/workspace/import/${event.params.id}`, event.locals.locale));
  },
};
