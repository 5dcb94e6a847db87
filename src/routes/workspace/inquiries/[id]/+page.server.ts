import * as m from '$lib/paraglide/messages';
import type { Inquiry } from '$lib/server/inquiries/index.js';
import type { RecordSummary } from '$lib/server/records/index.js';
import { apiGet, callApi } from '$lib/web/api.server';
import { apiFailure, field, invalid, type FieldErrors, type FormState } from '$lib/web/forms.server';
import { pickTitle } from '$lib/web/components/register';
import { linkedRecords, registerCan } from '$lib/web/components/register.server';
import type { Actions, PageServerLoad } from './$types';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const load: PageServerLoad = async (event) => {
  const can = registerCan(event.locals.user);
  const inquiry = await apiGet<Inquiry>(event, `/inquiries/${encodeURIComponent(event.params.id)}`);
  const [records, recent] = await Promise.all([
    linkedRecords(
      event,
      inquiry.records.map((l) => l.recordId),
    ),
    can.writeInquiries ? apiGet<{ items: RecordSummary[] }>(event, '/records?limit=200') : null,
  ]);
  return {
    inquiry,
    records,
    linkable: (recent?.items ?? [])
      .filter((r) => !inquiry.records.some((l) => l.recordId === r.id))
      .map((r) => ({ value: r.id, label: `${r.code} · ${pickTitle(r.titles).title}` })),
    can,
  };
};

const path = (event: { params: { id: string } }) => `/inquiries/${encodeURIComponent(event.params.id)}`;

export const actions: Actions = {
  response: async (event) => {
    const data = await event.request.formData();
    const values = {
      respondedOn: field(data, 'respondedOn').trim(),
      responseSummary: field(data, 'responseSummary').trim(),
    };
    const errors: FieldErrors = {};
    if (!values.respondedOn) errors.respondedOn = m.field_required();
    else if (!DAY.test(values.respondedOn)) errors.respondedOn = m.reg_err_iso_day();
    if (Object.keys(errors).length) return invalid('response', errors, values);
    const result = await callApi(event, 'PATCH', path(event), {
      respondedOn: values.respondedOn,
      responseSummary: values.responseSummary || null,
    });
    if (!result.ok) return apiFailure(event, 'response', result, values);
    return { form: 'response', message: m.reg_saved() } satisfies FormState;
  },

  link: async (event) => {
    const recordId = field(await event.request.formData(), 'recordId');
    if (!recordId) return invalid('link', { recordId: m.field_required() });
    const result = await callApi(event, 'POST', `${path(event)}/records`, { recordId });
    if (!result.ok) return apiFailure(event, 'link', result, { recordId });
    return { form: 'link', message: m.reg_linked_done() } satisfies FormState;
  },

  unlink: async (event) => {
    const recordId = encodeURIComponent(field(await event.request.formData(), 'recordId'));
    const result = await callApi(event, 'DELETE', `${path(event)}/records/${recordId}`);
    if (!result.ok) return apiFailure(event, 'links', result);
    return { form: 'links', message: m.reg_unlinked_done() } satisfies FormState;
  },
};
