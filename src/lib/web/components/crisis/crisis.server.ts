/**
 * Server-side helpers for the crisis pages: what the user may do (for showing actions; the API decides), the source
 * choices of the forms, and reading language variants and numbers from a posted form.
 */
import type { RequestEvent } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { Me } from '$lib/server/accounts/index.js';
import { ROLE_PERMISSIONS } from '$lib/server/http/access.js';
import type { SourceSummary } from '$lib/server/sources/index.js';
import { callApi, type ApiResult } from '$lib/web/api.server';
import { apiFailure, field, type FieldErrors } from '$lib/web/forms.server';
import { VARIANT_LANGS } from './crisis';

export function crisisCan(user: Me | null) {
  const granted = !user || user.pendingSecondFactor ? [] : ROLE_PERMISSIONS[user.role];
  return { read: granted.includes('crisis:read'), write: granted.includes('crisis:write') };
}

/** The register's sources as select options (title, date), newest first; none when the reader may not list them. */
export async function sourceOptions(event: RequestEvent): Promise<{ value: string; label: string }[]> {
  const r = await callApi<{ items: SourceSummary[] }>(event, 'GET', '/sources?limit=500');
  if (!r.ok) return [];
  return r.data.items.map((s) => ({ value: s.id, label: s.date ? `${s.title} (${s.date})` : s.title }));
}

/** `prefix.en`, `prefix.fr`, … from a form, the empty ones left out; undefined when all are empty. */
export function variantsFrom(data: FormData, prefix: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const l of VARIANT_LANGS) {
    const v = field(data, `${prefix}.${l}`).trim();
    if (v) out[l] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** A number typed by a person: spaces and thin spaces as group separators, a comma or a point as decimal mark. */
export function parseAmount(value: string): number | undefined {
  const cleaned = value.replace(/[\s\u202f\u00a0]/g, '').replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return undefined;
  return Number(cleaned);
}

export function checkAmount(errors: FieldErrors, name: string, value: string, required = true): number | undefined {
  if (!value.trim()) {
    if (required) errors[name] ??= m.field_required();
    return undefined;
  }
  const n = parseAmount(value);
  if (n === undefined) errors[name] ??= m.crisis_err_number();
  return n;
}

export const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function checkDay(errors: FieldErrors, name: string, value: string, required = true): void {
  if (!value) {
    if (required) errors[name] ??= m.field_required();
  } else if (!DAY.test(value)) errors[name] ??= m.crisis_err_day();
}

/** Every value of a form as text, to put back into the fields after a failure. */
export function formValues(data: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of data.entries()) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * `apiFailure`, with the crisis API's own refusals worded in the reader's language next to their fields: a date before
 * the crisis start (400 `before-crisis-start`) and a baseline that is not above zero (400 `bad-baseline`).
 */
export function crisisFailure(
  event: Pick<RequestEvent, 'locals' | 'url'>,
  form: string,
  result: Extract<ApiResult<unknown>, { ok: false }>,
  values: Record<string, string> = {},
  fields: Record<string, string> = {},
) {
  const failure = apiFailure(event, form, result, values, fields);
  const own =
    result.slug === 'before-crisis-start'
      ? m.crisis_err_before_start({ date: /\((\d{4}-\d{2}-\d{2})\)/.exec(result.problem.detail ?? '')?.[1] ?? '' })
      : result.slug === 'bad-baseline'
        ? m.crisis_err_baseline()
        : undefined;
  if (own && failure.data.errors)
    for (const e of result.problem.errors ?? []) failure.data.errors[fields[e.path] ?? e.path] = own;
  return failure;
}
