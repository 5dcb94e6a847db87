import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { ROLE_PERMISSIONS } from '$lib/server/http/access.js';
import type { Group } from '$lib/server/groups/index.js';
import type { CreateRecordInput, RecordSummary, RecordView } from '$lib/server/records/index.js';
import { apiGet, callApi, type ApiResult } from '$lib/web/api.server';
import type { FieldErrors } from '$lib/web/forms.server';
import { ENROL_PATH, signInPath } from '$lib/web/guard';
import { localizePath } from '$lib/web/locale';
import { problemMessage } from '$lib/web/problems';
import { LANG_ORDER, pickTitle } from '$lib/web/components/register';
import { referenceData, staffDirectory } from '$lib/web/components/register.server';
import { roleName } from '$lib/web/roles';
import { emptyDraft, GROUPS, type RecordDraft } from '$lib/web/components/record-draft';

const str = (data: FormData, name: string) => {
  const v = data.get(name);
  return typeof v === 'string' ? v : '';
};
const all = (data: FormData, name: string) =>
  data.getAll(name).filter((v): v is string => typeof v === 'string' && v !== '');

/** Rows named `prefix.N.field`, in N order, whatever N the page used. */
function rows<K extends string>(
  data: FormData,
  prefix: string,
  fields: readonly K[],
  filled: readonly K[] = fields,
): Record<K, string>[] {
  const found = new Map<number, Record<K, string>>();
  for (const key of data.keys()) {
    const match = new RegExp(`^${prefix}\\.(\\d+)\\.(\\w+)$`).exec(key);
    if (!match || !fields.includes(match[2] as K)) continue;
    const i = Number(match[1]);
    const row = found.get(i) ?? (Object.fromEntries(fields.map((f) => [f, ''])) as Record<K, string>);
    row[match[2] as K] = str(data, key);
    found.set(i, row);
  }
  const out = [...found.entries()].sort(([a], [b]) => a - b).map(([, r]) => r);
  // Trailing blank rows are the spare ones; the page adds its own again. Inner blanks keep their place, so that an
  // error still points at the row it belongs to.
  while (out.length && filled.every((f) => !out.at(-1)![f].trim())) out.pop();
  return out;
}

export function readDraft(data: FormData): RecordDraft {
  const d = emptyDraft();
  for (const lang of LANG_ORDER)
    d.texts[lang] = {
      title: str(data, `texts.${lang}.title`),
      summary: str(data, `texts.${lang}.summary`),
      description: str(data, `texts.${lang}.description`),
      translationStatus: str(data, `texts.${lang}.translationStatus`) || 'original',
    };
  for (const g of GROUPS) d.affected[g] = str(data, `affected.${g}`).trim();
  return {
    ...d,
    violationType: str(data, 'violationType'),
    startDate: str(data, 'startDate').trim(),
    startPrecision: str(data, 'startPrecision'),
    endDate: str(data, 'endDate').trim(),
    endPrecision: str(data, 'endPrecision'),
    ongoing: data.get('ongoing') === 'on',
    responsible: rows(data, 'responsible', ['name', 'attribution'] as const),
    placeIds: all(data, 'placeIds'),
    rightIds: all(data, 'rightIds'),
    tags: str(data, 'tags'),
    // A link row's kind always has a value; the row counts only once a record is chosen.
    links: rows(data, 'links', ['kind', 'recordId'] as const, ['recordId'] as const),
    confidentiality: str(data, 'confidentiality') || 'internal',
    verification: str(data, 'verification') || 'reported',
    verificationNote: str(data, 'verificationNote').trim(),
    accessUserIds: all(data, 'accessUserIds').join('\n'),
    accessGroupIds: all(data, 'accessGroupIds'),
  };
}

/** The API input for a draft, plus where each array entry came from (error paths index the sent arrays). */
export function toInput(d: RecordDraft): {
  input: CreateRecordInput & { verificationNote?: string | null };
  errors: FieldErrors;
  rowOf: { responsible: number[]; links: number[] };
} {
  const errors: FieldErrors = {};
  const texts: CreateRecordInput['texts'] = {};
  for (const lang of LANG_ORDER) {
    const t = d.texts[lang];
    // A language with nothing typed is not part of the record.
    if (!t.title.trim() && !t.summary.trim() && !t.description.trim()) continue;
    texts[lang] = {
      title: t.title,
      summary: t.summary,
      description: t.description.trim() ? t.description : null,
      translationStatus: t.translationStatus as 'original',
    };
  }
  const affected: Record<string, number | null> = {};
  for (const g of GROUPS) {
    const v = d.affected[g];
    if (v === '') affected[g] = null;
    else if (/^\d{1,9}$/.test(v)) affected[g] = Number(v);
    else errors[`affected.${g}`] = m.reg_err_count();
  }
  const responsible: { name: string; attribution: string }[] = [];
  const responsibleRows: number[] = [];
  d.responsible.forEach((r, i) => {
    if (!r.name.trim() && !r.attribution.trim()) return;
    responsible.push(r);
    responsibleRows.push(i);
  });
  const links: { kind: 'caused-by'; recordId: string }[] = [];
  const linkRows: number[] = [];
  d.links.forEach((l, i) => {
    if (!l.recordId) return;
    links.push({ kind: l.kind as 'caused-by', recordId: l.recordId });
    linkRows.push(i);
  });
  const tags = d.tags
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return {
    input: {
      texts,
      violationType: (d.violationType || null) as CreateRecordInput['violationType'],
      startDate: d.startDate || null,
      startPrecision: (d.startPrecision || (d.startDate ? guessPrecision(d.startDate) : null)) as 'day',
      endDate: d.endDate || null,
      endPrecision: (d.endPrecision || (d.endDate ? guessPrecision(d.endDate) : null)) as 'day',
      ongoing: d.ongoing,
      affected: affected as CreateRecordInput['affected'],
      responsible,
      placeIds: d.placeIds,
      rightIds: d.rightIds,
      tags,
      links,
      confidentiality: d.confidentiality as 'internal',
      verification: d.verification as 'reported',
      verificationNote: d.verificationNote || null,
    },
    errors,
    rowOf: { responsible: responsibleRows, links: linkRows },
  };
}

/** A date typed without its precision gets the one its form says. */
function guessPrecision(date: string): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) return 'day';
  if (/^\d{4}-\d{2}$/.test(date)) return 'month';
  if (/^\d{4}$/.test(date)) return 'year';
  return null;
}

export function accessIds(d: RecordDraft): { userIds: string[]; groupIds: string[] } {
  return {
    userIds: [...new Set(d.accessUserIds.split(/[\s,]+/).filter(Boolean))],
    groupIds: [...new Set(d.accessGroupIds)],
  };
}

/** The API's English field messages, in the reader's language; the generic ones for the rest. */
export function recordFieldMessage(message: string): string {
  const form = /a (day|month|year) precision needs the form (\S+)/.exec(message);
  if (form) return m.reg_err_date_form({ form: form[2]! });
  if (/precision needs a date/.test(message)) return m.reg_err_precision_needs_date();
  if (/give the precision/.test(message)) return m.reg_err_give_precision();
  if (/end needs a start/.test(message)) return m.reg_err_end_needs_start();
  if (/end date is before the start/.test(message)) return m.reg_err_end_before_start();
  if (/ongoing record has no end/.test(message)) return m.reg_err_ongoing_end();
  if (/YYYY-MM-DD, YYYY-MM or YYYY/.test(message)) return m.reg_err_date_syntax();
  if (/not a calendar date/.test(message)) return m.reg_err_not_calendar();
  if (/attribution is required/.test(message)) return m.reg_err_attribution();
  if (/at least one language/.test(message)) return m.reg_err_one_language();
  if (/no such place|unknown place/i.test(message)) return m.reg_err_place();
  if (/right/i.test(message) && /retired|no such|unknown/i.test(message)) return m.reg_err_right();
  if (/record/i.test(message) && /itself|no such|not found/i.test(message)) return m.reg_err_link();
  if (/too small|expected string|received undefined/i.test(message)) return m.field_required();
  if (/too big|at most/i.test(message)) return m.field_too_long();
  return m.field_invalid();
}

/** An API path → the input it belongs to. */
export function fieldOf(path: string, rowOf: { responsible: number[]; links: number[] }): string {
  const parts = path.split('.');
  const [head, index, rest] = parts;
  if (head === 'placeIds' || head === 'rightIds' || head === 'tags' || head === 'accessUserIds') return head;
  if (head === 'accessGroupIds' || head === 'groupIds') return 'accessGroupIds';
  if (head === 'userIds') return 'accessUserIds';
  if (head === 'texts' && parts.length === 1) return 'texts';
  if ((head === 'responsible' || head === 'links') && index !== undefined) {
    const row = rowOf[head][Number(index)] ?? Number(index);
    const field = rest ?? (head === 'links' ? 'recordId' : 'name');
    return `${head}.${row}.${field === 'kind' ? 'kind' : field}`;
  }
  if (head === '(root)' || head === '') return 'form';
  return path;
}

export interface RecordFormState {
  form: 'record';
  message: string;
  detail?: string;
  errors: FieldErrors;
  draft: RecordDraft;
  /** 409 `stale`: someone saved in between; the page offers to open their version. */
  stale?: boolean;
  /** After a stale save: the version now stored, so that saving again deliberately replaces it. */
  version?: number;
}

/** A refused save: field errors next to their fields, the rest as the form's message, the input kept as typed. */
export function recordFailure(
  event: Pick<RequestEvent, 'locals' | 'url'>,
  result: Extract<ApiResult<unknown>, { ok: false }>,
  draft: RecordDraft,
  rowOf: { responsible: number[]; links: number[] },
  version?: number,
) {
  if (result.slug === 'unauthenticated') redirect(303, signInPath(event.locals.locale, event.url.pathname));
  if (result.slug === 'second-factor-required') redirect(303, localizePath(ENROL_PATH, event.locals.locale));
  const errors: FieldErrors = {};
  for (const e of result.problem.errors ?? []) errors[fieldOf(e.path, rowOf)] ??= recordFieldMessage(e.message);
  const stale = result.slug === 'stale';
  const message = stale
    ? m.reg_err_stale()
    : result.slug === 'not-editable'
      ? m.reg_err_not_editable()
      : result.status === 422
        ? m.error_form()
        : problemMessage({ status: result.status, slug: result.slug, detail: result.problem.detail }).message;
  const detail = stale || result.status === 422 ? undefined : result.problem.detail;
  return fail(result.status, {
    form: 'record',
    message,
    detail,
    errors,
    draft,
    stale,
    version: stale ? version : undefined,
  } satisfies RecordFormState);
}

export function invalidDraft(errors: FieldErrors, draft: RecordDraft) {
  return fail(422, { form: 'record', message: m.error_form(), errors, draft } satisfies RecordFormState);
}

/**
 * What the form offers: rights, places, records to link to (the 200 most recent, plus those already linked), and,
 * for whoever may name access, the staff who can read the register (from the directory, by name) and the groups
 * (when the API has them).
 */
export async function formReference(
  event: RequestEvent,
  record: Pick<RecordView, 'id' | 'links' | 'accessUserIds'> | null,
  mayNameAccess: boolean,
) {
  const [reference, recent, directory, groups] = await Promise.all([
    referenceData(event),
    apiGet<{ items: RecordSummary[] }>(event, '/records?limit=200'),
    mayNameAccess ? staffDirectory(event) : [],
    mayNameAccess ? callApi<{ items: Group[] }>(event, 'GET', '/groups') : null,
  ]);
  // Only roles that can read the register are worth naming; someone already named stays on offer even when gone from
  // the directory (deactivated), so that saving the form does not drop them unseen.
  const users = directory
    .filter((u) => ROLE_PERMISSIONS[u.role].includes('register:read'))
    .map((u) => ({ id: u.id, name: `${u.displayName} (${roleName(u.role)})` }));
  for (const id of record?.accessUserIds ?? [])
    if (!users.some((u) => u.id === id)) users.push({ id, name: `#${id.slice(-6)}` });
  const linkable = recent.items
    .filter((r) => r.id !== record?.id)
    .map((r) => ({ id: r.id, label: `${r.code} · ${pickTitle(r.titles).title}` }));
  for (const l of record?.links ?? [])
    if (!linkable.some((x) => x.id === l.recordId)) linkable.push({ id: l.recordId, label: l.code });
  return {
    rights: reference.rights,
    places: reference.places.map((p) => ({ id: p.id, name: p.name })),
    linkable,
    access: mayNameAccess
      ? {
          users: directory.length ? users : null,
          groups: groups?.ok ? groups.data.items.map((g) => ({ id: g.id, name: g.name })) : null,
        }
      : null,
  };
}
