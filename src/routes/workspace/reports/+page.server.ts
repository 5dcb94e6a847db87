import { redirect } from '@sveltejs/kit';
import type { Report } from '$lib/server/reports/index.js';
import { apiGet, callApi } from '$lib/web/api.server';
import { apiFailure, invalid } from '$lib/web/forms.server';
import { readReportForm } from '$lib/web/reports/form.server';
import { localizePath } from '$lib/web/locale';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { items } = await apiGet<{ items: Report[] }>(event, '/reports');
  return { reports: items };
};

export const actions: Actions = {
  create: async (event) => {
    const { values, errors, body } = readReportForm(await event.request.formData());
    if (Object.keys(errors).length) return invalid('create', errors, values);
    const result = await callApi<Report>(event, 'POST', '/reports', body);
    if (!result.ok) return apiFailure(event, 'create', result, values, { titles: 'titles.en' });
    redirect(303, localizePath(`/workspace/reports/${result.data.id}`, event.locals.locale));
  },
};
