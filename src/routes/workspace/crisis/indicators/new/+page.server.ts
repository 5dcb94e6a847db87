import { error, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { CreateIndicatorInput, Indicator } from '$lib/server/crisis/index.js';
import { callApi } from '$lib/web/api.server';
import { field, invalid, type FieldErrors } from '$lib/web/forms.server';
import { localizePath } from '$lib/web/locale';
import {
  checkAmount,
  crisisCan,
  formValues,
  sourceOptions,
  variantsFrom,
  crisisFailure,
} from '$lib/web/components/crisis/crisis.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!crisisCan(event.locals.user).write) error(403, { message: m.error_forbidden() });
  return { sources: await sourceOptions(event) };
};

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const values = formValues(data);
    const errors: FieldErrors = {};
    const name = variantsFrom(data, 'name');
    if (!name) errors.name = m.crisis_err_one_language();
    const unit = variantsFrom(data, 'unit');
    if (!unit) errors.unit = m.crisis_err_one_language();
    const baseline = checkAmount(errors, 'baselinePerDay', field(data, 'baselinePerDay'));
    if (baseline !== undefined && baseline <= 0) errors.baselinePerDay = m.crisis_err_baseline();
    if (Object.keys(errors).length) return invalid('indicator', errors, values);
    const body: CreateIndicatorInput = {
      name: name!,
      unit: unit!,
      baselinePerDay: baseline!,
      baselineSourceId: field(data, 'baselineSourceId') || null,
      baselinePeriod: field(data, 'baselinePeriod').trim() || null,
      illustrative: field(data, 'illustrative') === 'on',
      note: field(data, 'note').trim() || null,
    };
    const result = await callApi<Indicator>(event, 'POST', '/indicators', body);
    if (!result.ok) return crisisFailure(event, 'indicator', result, values);
    redirect(303, localizePath(`/workspace/crisis/indicators/${result.data.id}`, event.locals.locale));
  },
};
