import * as m from '$lib/paraglide/messages';
import type { CreateReportInput, ReportTitles } from '$lib/server/reports/index.js';
import { field, type FieldErrors } from '$lib/web/forms.server';

const LANGS = ['en', 'fr', 'hy', 'ru'] as const;

/** The report form's fields, read and checked alike by the create and edit actions. */
export function readReportForm(data: FormData): {
  values: Record<string, string>;
  errors: FieldErrors;
  body: CreateReportInput;
} {
  const values: Record<string, string> = {};
  for (const l of LANGS) values[`titles.${l}`] = field(data, `titles.${l}`).trim();
  values.recordsPerRight = field(data, 'recordsPerRight').trim() || '3';
  values.selection = field(data, 'selection').trim();
  const errors: FieldErrors = {};
  const titles: ReportTitles = {};
  for (const l of LANGS) if (values[`titles.${l}`]) titles[l] = values[`titles.${l}`];
  if (Object.keys(titles).length === 0) errors['titles.en'] = m.field_required();
  const perRight = Number(values.recordsPerRight);
  if (!Number.isInteger(perRight) || perRight < 0 || perRight > 50) errors.recordsPerRight = m.field_invalid();
  const selection = values.selection.split(/[\s,]+/).filter(Boolean);
  return { values, errors, body: { titles, recordsPerRight: perRight, selection } };
}
