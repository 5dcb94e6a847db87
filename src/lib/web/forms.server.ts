import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { PASSWORD_MIN } from '$lib/server/accounts/index.js';
import type { ApiResult } from './api.server';
import { ENROL_PATH, signInPath } from './guard';
import { localizePath } from './locale';
import { problemMessage } from './problems';

export type FieldErrors = Record<string, string>;

/** What every action returns, tagged with the form it belongs to so a page with several forms shows each its own. */
export interface FormState {
  form: string;
  message?: string;
  /** The API's own wording, shown (marked as English) when no translation fits. */
  detail?: string;
  errors?: FieldErrors;
  values?: Record<string, string>;
}

export function field(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks done before calling the API, so that the common mistakes are explained in the reader's language. */
export const check = {
  required: (errors: FieldErrors, name: string, value: string) => {
    if (!value.trim() && !errors[name]) errors[name] = m.field_required();
  },
  email: (errors: FieldErrors, name: string, value: string) => {
    if (!value.trim()) errors[name] ??= m.field_required();
    else if (!EMAIL.test(value.trim())) errors[name] ??= m.field_email();
  },
  newPassword: (errors: FieldErrors, name: string, value: string, confirm?: { name: string; value: string }) => {
    if (!value) errors[name] ??= m.field_required();
    else if (value.length < PASSWORD_MIN) errors[name] ??= m.field_password_min({ min: PASSWORD_MIN });
    else if (confirm && confirm.value !== value) errors[confirm.name] ??= m.field_password_mismatch();
  },
  totp: (errors: FieldErrors, name: string, value: string) => {
    if (!/^\d{6}$/.test(value.replace(/\s/g, ''))) errors[name] ??= m.field_totp();
  },
};

export function invalid(form: string, errors: FieldErrors, values: Record<string, string> = {}) {
  return fail(422, { form, message: m.error_form(), errors, values } satisfies FormState);
}

/** The zod messages the API sends for fields, in the reader's language. */
function fieldMessage(message: string): string {
  const min = /at least (\d+) characters/i.exec(message);
  if (min) return m.field_password_min({ min: Number(min[1]) });
  if (/6 digits/i.test(message)) return m.field_totp();
  if (/password is incorrect/i.test(message)) return m.error_wrong_password();
  if (/code is incorrect|already used/i.test(message)) return m.error_totp_invalid();
  if (/email/i.test(message)) return m.field_email();
  if (/too small/i.test(message) || /received undefined/i.test(message)) return m.field_required();
  if (/too big/i.test(message)) return m.field_too_long();
  return m.field_invalid();
}

/**
 * Turns a failed API answer into the form's failure. An ended session goes to sign-in and an owed second factor to
 * enrolment; validation errors land next to their fields (`fields` maps API paths to input names).
 */
export function apiFailure(
  event: Pick<RequestEvent, 'locals' | 'url'>,
  form: string,
  result: Extract<ApiResult<unknown>, { ok: false }>,
  values: Record<string, string> = {},
  fields: Record<string, string> = {},
) {
  if (result.slug === 'unauthenticated') redirect(303, signInPath(event.locals.locale, event.url.pathname));
  if (result.slug === 'second-factor-required') redirect(303, localizePath(ENROL_PATH, event.locals.locale));
  const errors: FieldErrors = {};
  for (const e of result.problem.errors ?? []) {
    const name = fields[e.path] ?? e.path;
    errors[name] ??= fieldMessage(e.message);
  }
  const { message, detail } = problemMessage({
    status: result.status,
    slug: result.slug,
    detail: result.problem.detail,
    retryAfter: result.retryAfter,
  });
  return fail(result.status, { form, message, detail, errors, values } satisfies FormState);
}

/** Every field any of our actions may return, for pages that read several forms' results from one `form` prop. */
export type AnyFormState = FormState & {
  secret?: string;
  uri?: string;
  done?: 'enabled' | 'disabled';
  created?: string;
  link?: string;
  expiresAt?: string;
  email?: string;
};
