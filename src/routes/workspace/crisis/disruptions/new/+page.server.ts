import { error, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { SERVICES, type CreateDisruptionInput, type Disruption } from '$lib/server/crisis/index.js';
import { callApi } from '$lib/web/api.server';
import { field, invalid, type FieldErrors } from '$lib/web/forms.server';
import { localizePath } from '$lib/web/locale';
import {
  checkDay,
  crisisCan,
  formValues,
  sourceOptions,
  crisisFailure,
} from '$lib/web/components/crisis/crisis.server';
import type { Actions, PageServerLoad } from './$types';
import { placeIdsFrom, placeOptions } from '../places.server';

const INTERVAL_ROWS = 3;

export const load: PageServerLoad = async (event) => {
  if (!crisisCan(event.locals.user).write) error(403, { message: m.error_forbidden() });
  const [sources, places] = await Promise.all([sourceOptions(event), placeOptions(event)]);
  return { sources, places, rows: INTERVAL_ROWS };
};

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const places = placeIdsFrom(data);
    const values = { ...formValues(data), placeIds: places.value };
    const errors: FieldErrors = {};
    const service = field(data, 'service');
    if (!(SERVICES as readonly string[]).includes(service)) errors.service = m.field_required();
    const label = field(data, 'label').trim();
    if (service === 'custom' && !label) errors.label = m.crisis_err_custom_label();
    // The first filled row is the disruption's first interval; the API names it start/end/severity.
    const rows: { start: string; end: string; severity: 'complete' | 'partial'; index: number }[] = [];
    for (let i = 0; i < INTERVAL_ROWS; i++) {
      const start = field(data, `intervals.${i}.start`).trim();
      const end = field(data, `intervals.${i}.end`).trim();
      if (!start && !end) continue;
      checkDay(errors, `intervals.${i}.start`, start);
      checkDay(errors, `intervals.${i}.end`, end, false);
      if (start && end && end < start) errors[`intervals.${i}.end`] = m.crisis_err_end_before_start();
      rows.push({
        start,
        end,
        severity: field(data, `intervals.${i}.severity`) === 'partial' ? 'partial' : 'complete',
        index: i,
      });
    }
    if (rows.length === 0) errors['intervals.0.start'] = m.crisis_err_one_interval();
    if (Object.keys(errors).length) return invalid('disruption', errors, values);
    const [first, ...more] = rows;
    const body: CreateDisruptionInput = {
      service: service as CreateDisruptionInput['service'],
      label: label || null,
      area: field(data, 'area').trim() || null,
      placeIds: places.placeIds,
      sourceId: field(data, 'sourceId') || null,
      note: field(data, 'note').trim() || null,
      illustrative: field(data, 'illustrative') === 'on',
      severity: first!.severity,
      start: first!.start,
      end: first!.end || null,
      intervals: more.map((r) => ({ start: r.start, end: r.end || null, severity: r.severity })),
    };
    const fields: Record<string, string> = {
      start: `intervals.${first!.index}.start`,
      end: `intervals.${first!.index}.end`,
      severity: `intervals.${first!.index}.severity`,
    };
    more.forEach((r, k) => {
      for (const f of ['start', 'end', 'severity']) fields[`intervals.${k}.${f}`] = `intervals.${r.index}.${f}`;
    });
    const result = await callApi<Disruption>(event, 'POST', '/disruptions', body);
    if (!result.ok) return crisisFailure(event, 'disruption', result, values, fields);
    redirect(303, localizePath(`/workspace/crisis/disruptions/${result.data.id}`, event.locals.locale));
  },
};
