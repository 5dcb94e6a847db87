import { error, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { CreateInquiryInput, Inquiry } from '$lib/server/inquiries/index.js';
import { callApi } from '$lib/web/api.server';
import { apiFailure, field, invalid, type FieldErrors } from '$lib/web/forms.server';
import { registerCan } from '$lib/web/components/register.server';
import { localizePath } from '$lib/web/locale';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = ['body', 'subject', 'reference', 'sentOn', 'dueOn', 'respondedOn', 'responseSummary'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const load: PageServerLoad = async (event) => {
  if (!registerCan(event.locals.user).writeInquiries) error(403, { message: m.error_forbidden() });
  return {};
};

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const values = Object.fromEntries(FIELDS.map((f) => [f, field(data, f).trim()])) as Record<
      (typeof FIELDS)[number],
      string
    >;
    const errors: FieldErrors = {};
    for (const name of ['body', 'subject', 'sentOn', 'dueOn'] as const)
      if (!values[name]) errors[name] = m.field_required();
    for (const name of ['sentOn', 'dueOn', 'respondedOn'] as const)
      if (values[name] && !DAY.test(values[name])) errors[name] = m.reg_err_iso_day();
    if (!errors.dueOn && !errors.sentOn && values.dueOn < values.sentOn) errors.dueOn = m.reg_err_due_before_sent();
    if (Object.keys(errors).length) return invalid('inquiry', errors, values);
    const body: CreateInquiryInput = {
      body: values.body,
      subject: values.subject,
      sentOn: values.sentOn,
      dueOn: values.dueOn,
      respondedOn: values.respondedOn || null,
      responseSummary: values.responseSummary || null,
      reference: values.reference || null,
    };
    const result = await callApi<Inquiry>(event, 'POST', '/inquiries', body);
    if (!result.ok) return apiFailure(event, 'inquiry', result, values);
    redirect(303, localizePath(`/workspace/inquiries/${result.data.id}`, event.locals.locale));
  },
};
