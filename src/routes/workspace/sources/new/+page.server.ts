import { error, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { InquirySummary } from '$lib/server/inquiries/index.js';
import type { CreateSourceInput, Source } from '$lib/server/sources/index.js';
import { callApi } from '$lib/web/api.server';
import { apiFailure, field, invalid, type FieldErrors } from '$lib/web/forms.server';
import { registerCan } from '$lib/web/components/register.server';
import { localizePath } from '$lib/web/locale';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = [
  'type',
  'title',
  'date',
  'datePrecision',
  'language',
  'publisher',
  'personRef',
  'url',
  'capturedAt',
  'inquiryId',
] as const;

export const load: PageServerLoad = async (event) => {
  if (!registerCan(event.locals.user).writeSources) error(403, { message: m.error_forbidden() });
  const inquiries = await callApi<{ items: InquirySummary[] }>(event, 'GET', '/inquiries?limit=500');
  return {
    inquiries: inquiries.ok ? inquiries.data.items.map((i) => ({ id: i.id, label: `${i.body} · ${i.subject}` })) : [],
  };
};

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const values = Object.fromEntries(FIELDS.map((f) => [f, field(data, f).trim()])) as Record<
      (typeof FIELDS)[number],
      string
    >;
    const errors: FieldErrors = {};
    if (!values.type) errors.type = m.field_required();
    if (!values.title) errors.title = m.field_required();
    if (values.date && !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) errors.date = m.reg_err_iso_day();
    if (Object.keys(errors).length) return invalid('source', errors, values);
    const or = (v: string) => v || null;
    const body: CreateSourceInput = {
      type: values.type as CreateSourceInput['type'],
      title: values.title,
      date: or(values.date),
      datePrecision: or(values.datePrecision) as CreateSourceInput['datePrecision'],
      language: or(values.language),
      publisher: or(values.publisher),
      personRef: or(values.personRef),
      url: or(values.url),
      // The form asks for UTC (datetime-local has no zone).
      capturedAt: values.capturedAt ? new Date(`${values.capturedAt}Z`).toISOString() : null,
      inquiryId: or(values.inquiryId),
    };
    if (values.capturedAt && Number.isNaN(Date.parse(`${values.capturedAt}Z`)))
      return invalid('source', { capturedAt: m.field_invalid() }, values);
    const result = await callApi<Source>(event, 'POST', '/sources', body);
    if (!result.ok) return apiFailure(event, 'source', result, values);
    redirect(303, localizePath(`/workspace/sources/${result.data.id}`, event.locals.locale));
  },
};
