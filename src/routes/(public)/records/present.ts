/**
 * How the portal's record pages (home, records, a record, timeline) say things: text in the reader's language or,
 * when it was never translated into it, in the language it was written in (marked, with its `lang`); dates with
 * their precision; the register's closed lists in the reader's words.
 */
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';

export const LANGS = ['en', 'fr', 'hy', 'ru'] as const;
export type Lang = (typeof LANGS)[number];

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

export const number = (n: number, locale: string = getLocale()) => new Intl.NumberFormat(locale).format(n);

export const recordsCount = (n: number, approx = false) =>
  approx
    ? m.portal_records_count_approx({ count: n, n: number(n) })
    : m.portal_records_count({ count: n, n: number(n) });

export type Verification = 'reported' | 'corroborated' | 'verified' | 'disputed' | 'retracted';
const VERIFICATION: Record<Verification, [() => string, () => string]> = {
  reported: [m.reg_ver_reported, m.portal_ver_reported_help],
  corroborated: [m.reg_ver_corroborated, m.portal_ver_corroborated_help],
  verified: [m.reg_ver_verified, m.portal_ver_verified_help],
  disputed: [m.reg_ver_disputed, m.portal_ver_disputed_help],
  retracted: [m.reg_ver_retracted, m.portal_ver_retracted_help],
};
const isVerification = (v: string): v is Verification => v in VERIFICATION;
export const verificationLabel = (v: string) => (isVerification(v) ? VERIFICATION[v][0]() : v);
export const verificationHelp = (v: string) => (isVerification(v) ? VERIFICATION[v][1]() : '');

const GROUPS: Record<string, () => string> = {
  individuals: m.reg_group_individuals,
  children: m.reg_group_children,
  women: m.reg_group_women,
  olderPersons: m.reg_group_older_persons,
  personsWithDisabilities: m.reg_group_persons_with_disabilities,
  displaced: m.reg_group_displaced,
  wholePopulation: m.reg_group_whole_population,
};
export const groupLabel = (g: string) => GROUPS[g]?.() ?? g;

const VIOLATIONS: Record<string, () => string> = {
  killing: m.reg_vt_killing,
  injury: m.reg_vt_injury,
  'attack-on-civilians': m.reg_vt_attack_on_civilians,
  'attack-on-infrastructure': m.reg_vt_attack_on_infrastructure,
  blockade: m.reg_vt_blockade,
  'denial-of-services': m.reg_vt_denial_of_services,
  detention: m.reg_vt_detention,
  displacement: m.reg_vt_displacement,
  'property-destruction': m.reg_vt_property_destruction,
  'restriction-of-movement': m.reg_vt_restriction_of_movement,
  threat: m.reg_vt_threat,
  other: m.reg_vt_other,
};
export const violationLabel = (t: string) => VIOLATIONS[t]?.() ?? t;

const LINKS: Record<string, () => string> = {
  'caused-by': m.reg_link_caused_by,
  'part-of': m.reg_link_part_of,
  'follow-up-of': m.reg_link_follow_up_of,
};
export const linkLabel = (k: string) => LINKS[k]?.() ?? k;

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
