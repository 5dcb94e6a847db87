import * as m from '$lib/paraglide/messages';
import type { RecordSummary } from '$lib/server/records/index.js';
import type { Source } from '$lib/server/sources/index.js';
import { apiGet, callApi } from '$lib/web/api.server';
import { apiFailure, field, invalid, type FieldErrors, type FormState } from '$lib/web/forms.server';
import { pickTitle } from '$lib/web/components/register';
import { linkedRecords, registerCan } from '$lib/web/components/register.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const id = encodeURIComponent(event.params.id);
  const can = registerCan(event.locals.user);
  const source = await apiGet<Source>(event, `/sources/${id}`);
  const [records, recent] = await Promise.all([
    linkedRecords(
      event,
      source.records.map((l) => l.recordId),
    ),
    can.writeSources ? apiGet<{ items: RecordSummary[] }>(event, '/records?limit=200') : null,
  ]);
  return {
    source,
    records,
    linkable: (recent?.items ?? []).map((r) => ({ value: r.id, label: `${r.code} · ${pickTitle(r.titles).title}` })),
    can,
  };
};

export const actions: Actions = {
  grade: async (event) => {
    const data = await event.request.formData();
    const reliability = field(data, 'reliability');
    const credibility = Number(field(data, 'credibility'));
    const errors: FieldErrors = {};
    if (!/^[A-F]$/.test(reliability)) errors.reliability = m.field_required();
    if (!Number.isInteger(credibility) || credibility < 1 || credibility > 6) errors.credibility = m.field_required();
    const values = { reliability, credibility: field(data, 'credibility') };
    if (Object.keys(errors).length) return invalid('grade', errors, values);
    const result = await callApi(event, 'POST', `/sources/${encodeURIComponent(event.params.id)}/grade`, {
      reliability,
      credibility,
    });
    if (!result.ok) return apiFailure(event, 'grade', result, values);
    return { form: 'grade', message: m.reg_graded_done() } satisfies FormState;
  },

  link: async (event) => {
    const data = await event.request.formData();
    const values = {
      recordId: field(data, 'recordId'),
      relation: field(data, 'relation'),
      quote: field(data, 'quote').trim(),
    };
    const errors: FieldErrors = {};
    if (!values.recordId) errors.recordId = m.field_required();
    if (!['supports', 'contradicts'].includes(values.relation)) errors.relation = m.field_required();
    if (!values.quote) errors.quote = m.field_required();
    if (Object.keys(errors).length) return invalid('link', errors, values);
    const result = await callApi(event, 'POST', `/sources/${encodeURIComponent(event.params.id)}/records`, values);
    if (!result.ok) return apiFailure(event, 'link', result, values);
    return { form: 'link', message: m.reg_linked_done() } satisfies FormState;
  },

  unlink: async (event) => {
    const data = await event.request.formData();
    const recordId = encodeURIComponent(field(data, 'recordId'));
    const relation = field(data, 'relation');
    const query = relation ? `?relation=${encodeURIComponent(relation)}` : '';
    const result = await callApi(
      event,
      'DELETE',
      `/sources/${encodeURIComponent(event.params.id)}/records/${recordId}${query}`,
    );
    if (!result.ok) return apiFailure(event, 'links', result);
    return { form: 'links', message: m.reg_unlinked_done() } satisfies FormState;
  },
};
