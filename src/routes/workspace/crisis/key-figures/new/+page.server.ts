import { error, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { CreateKeyFigureInput, KeyFigure } from '$lib/server/crisis/index.js';
import { callApi } from '$lib/web/api.server';
import { field, invalid, type FieldErrors } from '$lib/web/forms.server';
import { localizePath } from '$lib/web/locale';
import {
  checkAmount,
  checkDay,
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
    const label = variantsFrom(data, 'label');
    if (!label) errors.label = m.crisis_err_one_language();
    const value = checkAmount(errors, 'value', field(data, 'value'));
    const asOf = field(data, 'asOf').trim();
    checkDay(errors, 'asOf', asOf);
    if (Object.keys(errors).length) return invalid('key-figure', errors, values);
    const body: CreateKeyFigureInput = {
      label: label!,
      value: value!,
      unit: variantsFrom(data, 'unit') ?? null,
      asOf,
      sourceId: field(data, 'sourceId') || null,
      note: field(data, 'note').trim() || null,
      illustrative: field(data, 'illustrative') === 'on',
    };
    const result = await callApi<KeyFigure>(event, 'POST', '/key-figures', body);
    if (!result.ok) return crisisFailure(event, 'key-figure', result, values);
    redirect(303, localizePath('/workspace/crisis', event.locals.locale));
  },
};
