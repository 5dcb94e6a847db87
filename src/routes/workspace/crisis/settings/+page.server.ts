import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { localDateTime, type Crisis, type PutCrisisInput } from '$lib/server/crisis/index.js';
import { callApi } from '$lib/web/api.server';
import { field, invalid, type FieldErrors } from '$lib/web/forms.server';
import { localizePath } from '$lib/web/locale';
import { VARIANT_LANGS } from '$lib/web/components/crisis/crisis';
import {
  checkAmount,
  crisisCan,
  formValues,
  sourceOptions,
  variantsFrom,
  crisisFailure,
} from '$lib/web/components/crisis/crisis.server';
import type { Actions, PageServerLoad } from './$types';

/** Rows for population figures: those stored, and two blank ones. */
const BLANK_ROWS = 2;
const WALL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

async function current(event: RequestEvent): Promise<Crisis | null> {
  const r = await callApi<Crisis>(event, 'GET', '/crisis');
  return r.ok ? r.data : null;
}

export const load: PageServerLoad = async (event) => {
  if (!crisisCan(event.locals.user).write) error(403, { message: m.error_forbidden() });
  const crisis = await current(event);
  const values: Record<string, string> = {
    startsAt: crisis?.startsAtLocal ?? '',
    timeZone: crisis?.timeZone ?? 'Asia/Yerevan',
    status: crisis?.status ?? 'ongoing',
    endsAt: crisis?.endsAt ? localDateTime(crisis.endsAt, crisis.timeZone) : '',
  };
  for (const l of VARIANT_LANGS) values[`name.${l}`] = crisis?.name[l] ?? '';
  crisis?.population.forEach((p, i) => {
    values[`population.${i}.label`] = p.label.en ?? Object.values(p.label)[0] ?? '';
    values[`population.${i}.value`] = String(p.value);
    values[`population.${i}.sourceId`] = p.sourceId ?? '';
    values[`population.${i}.note`] = p.note ?? '';
  });
  return {
    values,
    rows: (crisis?.population.length ?? 0) + BLANK_ROWS,
    sources: await sourceOptions(event),
    exists: crisis !== null,
  };
};

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const values = formValues(data);
    const errors: FieldErrors = {};
    const name = variantsFrom(data, 'name');
    if (!name) errors.name = m.crisis_err_one_language();
    const startsAt = field(data, 'startsAt').trim();
    if (!startsAt) errors.startsAt = m.field_required();
    else if (!WALL.test(startsAt)) errors.startsAt = m.crisis_err_wall_time();
    const timeZone = field(data, 'timeZone').trim();
    if (!timeZone) errors.timeZone = m.field_required();
    const status = field(data, 'status') === 'ended' ? 'ended' : 'ongoing';
    const endsAt = field(data, 'endsAt').trim();
    if (endsAt && !WALL.test(endsAt)) errors.endsAt = m.crisis_err_wall_time();
    if (status === 'ended' && !endsAt) errors.endsAt = m.field_required();

    // A label typed the same as before keeps the translations it had.
    const before = await current(event);
    const population: NonNullable<PutCrisisInput['population']> = [];
    const fields: Record<string, string> = {};
    for (let i = 0; data.has(`population.${i}.label`); i++) {
      const p = (k: string) => field(data, `population.${i}.${k}`).trim();
      if (!p('label') && !p('value') && !p('sourceId')) continue;
      if (!p('label')) errors[`population.${i}.label`] = m.field_required();
      const value = checkAmount(errors, `population.${i}.value`, p('value'));
      if (!p('sourceId')) errors[`population.${i}.sourceId`] = m.crisis_err_source_required();
      const old = before?.population.find((x) => (x.label.en ?? Object.values(x.label)[0]) === p('label'));
      for (const k of ['label', 'value', 'sourceId', 'note'])
        fields[`population.${population.length}.${k}`] = `population.${i}.${k}`;
      population.push({
        label: old ? old.label : p('label'),
        value: value ?? 0,
        sourceId: p('sourceId'),
        note: p('note') || null,
      });
    }
    if (Object.keys(errors).length) return invalid('crisis', errors, values);
    const body: PutCrisisInput = {
      name: name!,
      startsAt,
      timeZone,
      status,
      endsAt: endsAt || null,
      population,
    };
    const result = await callApi<Crisis>(event, 'PUT', '/crisis', body);
    if (!result.ok) return crisisFailure(event, 'crisis', result, values, fields);
    redirect(303, localizePath('/workspace/crisis', event.locals.locale));
  },
};
