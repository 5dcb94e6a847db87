import { redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { Edition, Report } from '$lib/server/reports/index.js';
import { apiGet, callApi } from '$lib/web/api.server';
import { apiFailure, field, invalid, type FieldErrors } from '$lib/web/forms.server';
import { localizePath } from '$lib/web/locale';
import { readReportForm } from '$lib/web/reports/form.server';
import type { Actions, PageServerLoad } from './$types';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const LANGS = ['en', 'fr', 'hy', 'ru'];

export const load: PageServerLoad = async (event) => {
  const report = await apiGet<Report>(event, `/reports/${encodeURIComponent(event.params.id)}`);
  return { report };
};

export const actions: Actions = {
  build: async (event) => {
    const data = await event.request.formData();
    const values = { asOf: field(data, 'asOf').trim(), lang: field(data, 'lang') };
    const errors: FieldErrors = {};
    if (!values.asOf) errors.asOf = m.field_required();
    else if (!DAY.test(values.asOf)) errors.asOf = m.field_invalid();
    if (!LANGS.includes(values.lang)) errors.lang = m.field_required();
    if (Object.keys(errors).length) return invalid('build', errors, values);
    const result = await callApi<Edition>(
      event,
      'POST',
      `/reports/${encodeURIComponent(event.params.id)}/editions`,
      values,
    );
    if (!result.ok) return apiFailure(event, 'build', result, values);
    redirect(
      303,
      localizePath(`/workspace/reports/${event.params.id}/editions/${result.data.id}`, event.locals.locale),
    );
  },
  update: async (event) => {
    const { values, errors, body } = readReportForm(await event.request.formData());
    if (Object.keys(errors).length) return invalid('update', errors, values);
    const result = await callApi<Report>(event, 'PATCH', `/reports/${encodeURIComponent(event.params.id)}`, body);
    if (!result.ok) return apiFailure(event, 'update', result, values, { titles: 'titles.en' });
    return { form: 'update', message: m.rep_saved() };
  },
};
