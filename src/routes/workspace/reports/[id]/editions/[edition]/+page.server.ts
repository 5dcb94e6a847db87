import { redirect } from '@sveltejs/kit';
import type { Edition } from '$lib/server/reports/index.js';
import { apiGet, callApi } from '$lib/web/api.server';
import { apiFailure } from '$lib/web/forms.server';
import { localizePath } from '$lib/web/locale';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const edition = await apiGet<Edition>(event, `/editions/${encodeURIComponent(event.params.edition)}`);
  // The edition belongs to the report in the address: anything else is an address that does not exist.
  if (edition.reportId !== event.params.id)
    redirect(303, localizePath(`/workspace/reports/${edition.reportId}/editions/${edition.id}`, event.locals.locale));
  return { edition };
};

export const actions: Actions = {
  publish: async (event) => {
    const result = await callApi<Edition>(
      event,
      'POST',
      `/editions/${encodeURIComponent(event.params.edition)}/publish`,
    );
    if (!result.ok) return apiFailure(event, 'publish', result);
    redirect(
      303,
      localizePath(`/workspace/reports/${event.params.id}/editions/${event.params.edition}`, event.locals.locale),
    );
  },
  delete: async (event) => {
    const result = await callApi(event, 'DELETE', `/editions/${encodeURIComponent(event.params.edition)}`);
    if (!result.ok) return apiFailure(event, 'delete', result);
    redirect(303, localizePath(`/workspace/reports/${event.params.id}`, event.locals.locale));
  },
};
