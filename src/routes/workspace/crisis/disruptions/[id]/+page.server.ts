import { error, fail, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { Disruption } from '$lib/server/crisis/index.js';
import { apiGet, callApi } from '$lib/web/api.server';
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

export const load: PageServerLoad = async (event) => {
  const can = crisisCan(event.locals.user);
  if (!can.read) error(403, { message: m.error_forbidden() });
  const [disruption, sources, places] = await Promise.all([
    apiGet<Disruption>(event, `/disruptions/${encodeURIComponent(event.params.id)}`),
    sourceOptions(event),
    placeOptions(event),
  ]);
  return { disruption, sources, places, can };
};

const path = (event: { params: { id: string } }, rest = '') =>
  `/disruptions/${encodeURIComponent(event.params.id)}${rest}`;

export const actions: Actions = {
  addInterval: async (event) => {
    const data = await event.request.formData();
    const values = formValues(data);
    const errors: FieldErrors = {};
    const start = field(data, 'new.start').trim();
    const end = field(data, 'new.end').trim();
    checkDay(errors, 'new.start', start);
    checkDay(errors, 'new.end', end, false);
    if (start && end && end < start) errors['new.end'] = m.crisis_err_end_before_start();
    if (Object.keys(errors).length) return invalid('interval', errors, values);
    const result = await callApi(event, 'POST', path(event, '/intervals'), {
      start,
      end: end || null,
      severity: field(data, 'new.severity') === 'partial' ? 'partial' : 'complete',
      sourceId: field(data, 'new.sourceId') || null,
    });
    if (!result.ok)
      return crisisFailure(event, 'interval', result, values, {
        start: 'new.start',
        end: 'new.end',
        severity: 'new.severity',
        sourceId: 'new.sourceId',
      });
    return { form: 'interval', message: m.crisis_saved() };
  },
  closeInterval: async (event) => {
    const data = await event.request.formData();
    const id = field(data, 'id');
    const end = field(data, 'end').trim();
    const errors: FieldErrors = {};
    checkDay(errors, `end-${id}`, end);
    if (Object.keys(errors).length) return invalid('close', errors, formValues(data));
    const result = await callApi(event, 'PATCH', path(event, `/intervals/${encodeURIComponent(id)}`), { end });
    if (!result.ok) return crisisFailure(event, 'close', result, formValues(data), { end: `end-${id}` });
    return { form: 'close', message: m.crisis_saved() };
  },
  deleteInterval: async (event) => {
    const id = field(await event.request.formData(), 'id');
    if (!id) return fail(400, { form: 'delete-interval' });
    const result = await callApi(event, 'DELETE', path(event, `/intervals/${encodeURIComponent(id)}`));
    if (!result.ok) return crisisFailure(event, 'delete-interval', result);
    return { form: 'delete-interval', message: m.crisis_deleted() };
  },
  edit: async (event) => {
    const data = await event.request.formData();
    const places = placeIdsFrom(data);
    const values = { ...formValues(data), placeIds: places.value };
    const result = await callApi(event, 'PATCH', path(event), {
      area: field(data, 'area').trim() || null,
      placeIds: places.placeIds,
      sourceId: field(data, 'sourceId') || null,
      note: field(data, 'note').trim() || null,
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
