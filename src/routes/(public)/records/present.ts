/**
 * How the portal's record pages (home, records, a record, timeline) say things: text in the reader's language or,
 * when it was never translated into it, in the language it was written in (marked, with its `lang`); dates with
 * their precision; the register's closed lists in the reader's words.
 */
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import {
  formatNumber,
  GROUP,
  LANG_ORDER,
  LINK_KIND,
  nameOf,
  VERIFICATION,
  VIOLATION,
  type Lang,
} from '$lib/web/components/register';

export { type Lang };
export const LANGS = LANG_ORDER;

/** A text as shown: `fallback` when it is not in the reader's language (`lang` then says which it is in). */
export interface Shown {
  text: string;
  lang: Lang;
  fallback: boolean;
}

/**
 * The reader's language when the text exists in it; else the original (the variant written first, `original`),
 * else the first language it has.
 */
export function shown(
  values: Partial<Record<string, string | null | undefined>>,
  original: Lang | null = null,
  locale: Lang = getLocale(),
): Shown | null {
  const own = values[locale];
  if (own) return { text: own, lang: locale, fallback: false };
  const lang = original && values[original] ? original : LANGS.find((l) => values[l]);
  return lang ? { text: values[lang]!, lang, fallback: true } : null;
}

/** The language a record was written in: the variant marked `original`, else the first it has. */
export function originalLang(texts: Partial<Record<Lang, { translationStatus: string } | undefined>>): Lang | null {
  return LANGS.find((l) => texts[l]?.translationStatus === 'original') ?? LANGS.find((l) => texts[l]) ?? null;
}

const ORIGINAL_IN: Record<Lang, () => string> = {
  en: m.portal_original_en,
  fr: m.portal_original_fr,
  hy: m.portal_original_hy,
  ru: m.portal_original_ru,
};
export const originalIn = (lang: Lang): string => ORIGINAL_IN[lang]();

export type Precision = 'day' | 'month' | 'year' | 'approximate';

/** `2023-01-30` → "30 January 2023", `2023-01` → "January 2023", `2023` → "2023"; approximate ones "about …". */
export function partialDate(date: string, precision: Precision | null, locale: string = getLocale()): string {
  const [y, mo, d] = date.split('-').map(Number);
  const at = new Date(Date.UTC(y!, (mo ?? 1) - 1, d ?? 1));
  const format = (o: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(locale, { ...o, timeZone: 'UTC' }).format(at);
  const text =
    d !== undefined
      ? format({ day: 'numeric', month: 'long', year: 'numeric' })
      : mo !== undefined
        ? format({ month: 'long', year: 'numeric' })
        : String(y);
  return precision === 'approximate' ? m.portal_record_approx({ date: text }) : text;
}

/** When a record happened, as a phrase: a date, a period, or since a date and still going on. */
export function when(r: {
  startDate: string | null;
  startPrecision: Precision | null;
  endDate?: string | null;
  endPrecision?: Precision | null;
  ongoing: boolean;
}): string {
  if (!r.startDate) return m.portal_record_no_date();
  const start = partialDate(r.startDate, r.startPrecision);
  if (r.ongoing) return m.portal_record_ongoing({ start });
  if (r.endDate && r.endDate !== r.startDate)
    return m.portal_record_period({ start, end: partialDate(r.endDate, r.endPrecision ?? null) });
  return start;
}

export const number = formatNumber;

export const recordsCount = (n: number, approx = false) =>
  approx
    ? m.portal_records_count_approx({ count: n, n: number(n) })
    : m.portal_records_count({ count: n, n: number(n) });

// The register's names (shared with the workspace); what the portal adds is a help line for each verification.
const VERIFICATION_HELP: Record<keyof typeof VERIFICATION, () => string> = {
  reported: m.portal_ver_reported_help,
  corroborated: m.portal_ver_corroborated_help,
  verified: m.portal_ver_verified_help,
  disputed: m.portal_ver_disputed_help,
  retracted: m.portal_ver_retracted_help,
};
export const verificationLabel = (v: string) => nameOf(VERIFICATION, v);
export const verificationHelp = (v: string) =>
  Object.hasOwn(VERIFICATION_HELP, v) ? nameOf(VERIFICATION_HELP, v) : '';
export const groupLabel = (g: string) => nameOf(GROUP, g);
export const violationLabel = (t: string) => nameOf(VIOLATION, t);
export const linkLabel = (k: string) => nameOf(LINK_KIND, k);

/** The public taxonomy (`GET /api/rights`), by id: names in the reader's language, and each right's category. */
export interface RightNode {
  id: string;
  code: string;
  kind: 'category' | 'right';
  parentId: string | null;
  names: Record<Lang, string>;
  children?: RightNode[];
}
export function rightIndex(tree: RightNode[]): Map<string, RightNode> {
  const out = new Map<string, RightNode>();
  for (const c of tree) {
    out.set(c.id, c);
    for (const r of c.children ?? []) out.set(r.id, r);
  }
  return out;
}
