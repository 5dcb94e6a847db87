import { error, fail, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { Indicator, IndicatorSummary } from '$lib/server/crisis/index.js';
import { apiGet, callApi } from '$lib/web/api.server';
import { field, invalid, type FieldErrors } from '$lib/web/forms.server';
import { localizePath } from '$lib/web/locale';
import {
  checkAmount,
  checkDay,
  crisisCan,
  formValues,
  sourceOptions,
  crisisFailure,
} from '$lib/web/components/crisis/crisis.server';
import type { Actions, PageServerLoad } from './$types';

type Series = { items: { asOf: string; day: number; cumulative: number; expected: number }[] };

export const load: PageServerLoad = async (event) => {
  const can = crisisCan(event.locals.user);
  if (!can.read) error(403, { message: m.error_forbidden() });
  const id = encodeURIComponent(event.params.id);
  const [indicator, summary, series, sources] = await Promise.all([
    apiGet<Indicator>(event, `/indicators/${id}`),
    apiGet<IndicatorSummary>(event, `/indicators/${id}/summary?lang=${event.locals.locale}`),
    apiGet<Series>(event, `/indicators/${id}/series`),
    sourceOptions(event),
  ]);
  return { indicator, summary, series: series.items, sources, can };
};

const path = (event: { params: { id: string } }, rest = '') =>
  `/indicators/${encodeURIComponent(event.params.id)}${rest}`;

export const actions: Actions = {
  observe: async (event) => {
    const data = await event.request.formData();
    const values = formValues(data);
    const errors: FieldErrors = {};
    const asOf = field(data, 'asOf').trim();
    checkDay(errors, 'asOf', asOf);
    const kind = field(data, 'kind') === 'daily' ? 'daily' : 'cumulative';
    const value = checkAmount(errors, 'value', field(data, 'value'));
    if (value !== undefined && value < 0) errors.value = m.crisis_err_negative();
    if (Object.keys(errors).length) return invalid('observe', errors, values);
    const result = await callApi(event, 'POST', path(event, '/observations'), {
      asOf,
      [kind]: value,
      sourceId: field(data, 'sourceId') || null,
      note: field(data, 'note').trim() || null,
    });
    if (!result.ok) return crisisFailure(event, 'observe', result, values, { cumulative: 'value', daily: 'value' });
    return { form: 'observe', message: m.crisis_saved() };
  },
  deleteObservation: async (event) => {
    const id = field(await event.request.formData(), 'id');
    if (!id) return fail(400, { form: 'delete-observation' });
    const result = await callApi(event, 'DELETE', path(event, `/observations/${encodeURIComponent(id)}`));
    if (!result.ok) return crisisFailure(event, 'delete-observation', result);
    return { form: 'delete-observation', message: m.crisis_deleted() };
  },
  edit: async (event) => {
    const data = await event.request.formData();
    const values = formValues(data);
    const errors: FieldErrors = {};
    const baseline = checkAmount(errors, 'baselinePerDay', field(data, 'baselinePerDay'));
    if (baseline !== undefined && baseline <= 0) errors.baselinePerDay = m.crisis_err_baseline();
    if (Object.keys(errors).length) return invalid('edit', errors, values);
    const result = await callApi(event, 'PATCH', path(event), {
      baselinePerDay: baseline,
      baselinePeriod: field(data, 'baselinePeriod').trim() || null,
      baselineSourceId: field(data, 'baselineSourceId') || null,
      illustrative: field(data, 'illustrative') === 'on',
    });
    if (!result.ok) return crisisFailure(event, 'edit', result, values);
    return { form: 'edit', message: m.crisis_saved() };
  },
  delete: async (event) => {
    const result = await callApi(event, 'DELETE', path(event));
    if (!result.ok) return crisisFailure(event, 'delete', result);
    redirect(303, localizePath('/workspace/crisis', event.locals.locale));
  },
};
