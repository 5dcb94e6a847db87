import { error, fail } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { CustodyEntry, Evidence } from '$lib/server/evidence/index.js';
import { ROLE_PERMISSIONS } from '$lib/server/http/access.js';
import { apiGet, callApi } from '$lib/web/api.server';
import { apiFailure, field, type FieldErrors, type FormState } from '$lib/web/forms.server';
import type { Actions, PageServerLoad } from './$types';

function granted(user: App.Locals['user']) {
  return user && !user.pendingSecondFactor ? ROLE_PERMISSIONS[user.role] : [];
}

export const load: PageServerLoad = async (event) => {
  const g = granted(event.locals.user);
  if (!g.includes('evidence:read')) error(403, { message: m.error_forbidden() });
  const id = event.params.id;
  const [item, custody] = await Promise.all([
    apiGet<Evidence>(event, `/evidence/${encodeURIComponent(id)}`),
    apiGet<{ items: CustodyEntry[] }>(event, `/evidence/${encodeURIComponent(id)}/custody`),
  ]);
  return {
    item,
    custody: custody.items,
    can: {
      write: g.includes('evidence:write'),
      original: g.includes('evidence:metadata'),
      redact: g.includes('evidence:redact'),
      photos: g.includes('photos:write'),
    },
  };
};

const NUM = /^\d+(\.\d+)?$/;

export const actions: Actions = {
  link: async (event) => {
    const data = await event.request.formData();
    const values = { type: field(data, 'type'), targetId: field(data, 'targetId').trim() };
    if (!values.targetId)
      return fail(422, {
        form: 'link',
        message: m.error_form(),
        errors: { targetId: m.field_required() },
        values,
      } satisfies FormState);
    const result = await callApi(event, 'POST', `/evidence/${encodeURIComponent(event.params.id)}/links`, {
      type: values.type === 'source' ? 'source' : 'record',
      id: values.targetId,
    });
    if (!result.ok) return apiFailure(event, 'link', result, values, { id: 'targetId' });
    return { form: 'link', message: m.ev_done() } satisfies FormState;
  },
  redact: async (event) => {
    const data = await event.request.formData();
    const names = ['x', 'y', 'width', 'height'] as const;
    const values: Record<string, string> = Object.fromEntries(names.map((n) => [n, field(data, n).trim()]));
    values.fill = field(data, 'fill') === 'mosaic' ? 'mosaic' : 'solid';
    const errors: FieldErrors = {};
    for (const n of names) if (!NUM.test(values[n]!)) errors[n] = values[n] ? m.field_invalid() : m.field_required();
    if (Object.keys(errors).length)
      return fail(422, { form: 'redact', message: m.error_form(), errors, values } satisfies FormState);
    const region = Object.fromEntries(names.map((n) => [n, Number(values[n])]));
    const result = await callApi(event, 'POST', `/evidence/${encodeURIComponent(event.params.id)}/redactions`, {
      regions: [region],
      fill: values.fill,
    });
    if (!result.ok)
      return apiFailure(event, 'redact', result, values, {
        'regions.0': 'width',
        'regions.0.x': 'x',
        'regions.0.y': 'y',
        'regions.0.width': 'width',
        'regions.0.height': 'height',
      });
    return { form: 'redact', message: m.ev_done() } satisfies FormState;
  },
};
