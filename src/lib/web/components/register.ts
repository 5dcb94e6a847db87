/**
 * The register's vocabulary for pages: every enum the API uses, named in the reader's language, and how a record's
 * text is chosen among its language variants. Client-safe: the enums are typed from the server schemas (types only;
 * `$lib/server` never reaches the browser), so a new API value fails type checking here until it has a name.
 */
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type {
  AFFECTED_GROUPS,
  CONFIDENTIALITIES,
  LANGS,
  LINK_KINDS,
  PRECISIONS,
  STATUSES,
  TRANSLATION_STATUSES,
  VERIFICATIONS,
  VIOLATION_TYPES,
} from '$lib/server/records/index.js';
import type { LINK_RELATIONS, RELIABILITY, SOURCE_TYPES } from '$lib/server/sources/index.js';
import type { INQUIRY_STATUSES } from '$lib/server/inquiries/index.js';
import type { PLACE_TYPES } from '$lib/server/places/index.js';

type Names<T extends readonly string[]> = Record<T[number], () => string>;

export const STATUS: Names<typeof STATUSES> = {
  draft: m.reg_status_draft,
  'in-review': m.reg_status_in_review,
  approved: m.reg_status_approved,
  published: m.reg_status_published,
  unpublished: m.reg_status_unpublished,
};
export const VERIFICATION: Names<typeof VERIFICATIONS> = {
  reported: m.reg_ver_reported,
  corroborated: m.reg_ver_corroborated,
  verified: m.reg_ver_verified,
  disputed: m.reg_ver_disputed,
  retracted: m.reg_ver_retracted,
};
export const CONFIDENTIALITY: Names<typeof CONFIDENTIALITIES> = {
  public: m.reg_conf_public,
  internal: m.reg_conf_internal,
  restricted: m.reg_conf_restricted,
};
export const PRECISION: Names<typeof PRECISIONS> = {
  day: m.reg_prec_day,
  month: m.reg_prec_month,
  year: m.reg_prec_year,
  approximate: m.reg_prec_approximate,
};
export const TRANSLATION: Names<typeof TRANSLATION_STATUSES> = {
  original: m.reg_tr_original,
  translated: m.reg_tr_translated,
  'needs-review': m.reg_tr_needs_review,
};
export const VIOLATION: Names<typeof VIOLATION_TYPES> = {
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
export const GROUP: Names<typeof AFFECTED_GROUPS> = {
  individuals: m.reg_group_individuals,
  children: m.reg_group_children,
  women: m.reg_group_women,
  olderPersons: m.reg_group_older_persons,
  personsWithDisabilities: m.reg_group_persons_with_disabilities,
  displaced: m.reg_group_displaced,
  wholePopulation: m.reg_group_whole_population,
};
export const LINK_KIND: Names<typeof LINK_KINDS> = {
  'caused-by': m.reg_link_caused_by,
  'part-of': m.reg_link_part_of,
  'follow-up-of': m.reg_link_follow_up_of,
};
export const SOURCE_TYPE: Names<typeof SOURCE_TYPES> = {
  inquiry: m.reg_st_inquiry,
  interview: m.reg_st_interview,
  'open-source': m.reg_st_open_source,
  'official-document': m.reg_st_official_document,
  'study-report': m.reg_st_study_report,
  'media-report': m.reg_st_media_report,
};
export const RELATION: Names<typeof LINK_RELATIONS> = {
  supports: m.reg_rel_supports,
  contradicts: m.reg_rel_contradicts,
};
export const RELIABILITY_NAME: Names<typeof RELIABILITY> = {
  A: m.reg_rel_a,
  B: m.reg_rel_b,
  C: m.reg_rel_c,
  D: m.reg_rel_d,
  E: m.reg_rel_e,
  F: m.reg_rel_f,
};
export const CREDIBILITY_NAME: Record<1 | 2 | 3 | 4 | 5 | 6, () => string> = {
  1: m.reg_cred_1,
  2: m.reg_cred_2,
  3: m.reg_cred_3,
  4: m.reg_cred_4,
  5: m.reg_cred_5,
  6: m.reg_cred_6,
};
export const INQUIRY_STATUS: Names<typeof INQUIRY_STATUSES> = {
  overdue: m.reg_inq_overdue,
  sent: m.reg_inq_sent,
  answered: m.reg_inq_answered,
};
export const PLACE_TYPE: Names<typeof PLACE_TYPES> = {
  country: m.reg_pt_country,
  region: m.reg_pt_region,
  city: m.reg_pt_city,
  town: m.reg_pt_town,
  village: m.reg_pt_village,
  road: m.reg_pt_road,
  'border-crossing': m.reg_pt_border_crossing,
  site: m.reg_pt_site,
  other: m.reg_pt_other,
};
export const LANGUAGE: Names<typeof LANGS> = {
  en: m.reg_lang_en,
  fr: m.reg_lang_fr,
  hy: m.reg_lang_hy,
  ru: m.reg_lang_ru,
};

/** `[value, label]` pairs in the order the map lists them, for selects, radios and facets. */
export function options<K extends string>(names: Record<K, () => string>): { value: K; label: string }[] {
  return (Object.keys(names) as K[]).map((value) => ({ value, label: names[value]() }));
}

/** A value's name, or the value itself when the API sent one this page does not know yet. */
export function nameOf(names: Record<string, () => string>, value: string | null | undefined): string {
  if (value == null) return '';
  // Own keys only: a value such as `constructor` must not reach Object's prototype.
  return Object.hasOwn(names, value) ? names[value]!() : value;
}

export type Lang = (typeof LANGS)[number];
export const LANG_ORDER: readonly Lang[] = ['en', 'fr', 'hy', 'ru'];

/**
 * Which language variant to show: the reader's own, else the original, else the first there is. `fallback` says the
 * reader gets another language than theirs, so the page can say so.
 */
export function pickVariant<V extends { translationStatus?: string }>(
  variants: Partial<Record<string, V>>,
  locale: string = getLocale(),
): { lang: Lang; variant: V; fallback: boolean } | null {
  const own = variants[locale];
  if (own) return { lang: locale as Lang, variant: own, fallback: false };
  const present = LANG_ORDER.filter((l) => variants[l]);
  const lang = present.find((l) => variants[l]?.translationStatus === 'original') ?? present[0];
  if (!lang) return null;
  return { lang, variant: variants[lang]!, fallback: true };
}

/** A summary's title (titles only, no status): the reader's language, else English, French, Armenian, Russian. */
export function pickTitle(titles: Record<string, string>, locale: string = getLocale()) {
  if (titles[locale]) return { lang: locale, title: titles[locale], fallback: false };
  const lang = LANG_ORDER.find((l) => titles[l]) ?? Object.keys(titles)[0];
  return lang ? { lang, title: titles[lang] ?? '', fallback: true } : { lang: locale, title: '', fallback: false };
}

/** A partial ISO date as the reader writes it: `2023` stays, `2023-09` is a month name, a day in full. */
export function formatPartialDate(value: string | null | undefined, locale: string = getLocale()): string {
  if (!value) return '';
  const [y, mo, d] = value.split('-').map(Number);
  if (!y) return value;
  if (mo === undefined) return String(y);
  const date = new Date(Date.UTC(y, mo - 1, d ?? 1));
  const options: Intl.DateTimeFormatOptions =
    d === undefined ? { year: 'numeric', month: 'long', timeZone: 'UTC' } : { dateStyle: 'medium', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale, options).format(date);
}

/** A record's period: "19 Sept 2023 – Oct 2023", "since 2023 (ongoing)". */
export function formatPeriod(r: { startDate: string | null; endDate: string | null; ongoing: boolean }): string {
  const start = formatPartialDate(r.startDate);
  const end = formatPartialDate(r.endDate);
  if (r.ongoing) return start ? m.reg_period_ongoing_since({ start }) : m.reg_period_ongoing();
  if (start && end && end !== start) return `${start} – ${end}`;
  return start || m.reg_period_unknown();
}

export function formatInstant(iso: string | null | undefined, locale: string = getLocale()): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(
    new Date(iso),
  );
}

export function formatNumber(n: number, locale: string = getLocale()): string {
  return new Intl.NumberFormat(locale).format(n);
}

/** "about 1,200" when the API only estimated the number. */
export function formatCount(n: number, approx: boolean): string {
  return approx ? m.figure_about({ value: formatNumber(n) }) : formatNumber(n);
}

/** The record list's filters (the query of GET /api/records), in the order they appear in links. */
export const RECORD_FILTERS = [
  'q',
  'sort',
  'status',
  'verification',
  'confidentiality',
  'category',
  'right',
  'place',
  'group',
  'tag',
  'from',
  'to',
] as const;
export type RecordFilter = (typeof RECORD_FILTERS)[number];
export type RecordFilters = Partial<Record<RecordFilter, string>>;

export function toQuery(filters: RecordFilters, extra: Record<string, string | undefined> = {}): URLSearchParams {
  const query = new URLSearchParams();
  for (const name of RECORD_FILTERS) if (filters[name]) query.set(name, filters[name]!);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) query.set(k, v);
  return query;
}

/** `?…` for a link to a register page with these filters changed (null removes one). */
export function filterHref(filters: RecordFilters, change: RecordFilters | Record<string, string | null>): string {
  const next: Record<string, string | undefined> = { ...filters };
  for (const [k, v] of Object.entries(change)) next[k] = v ?? undefined;
  const query = toQuery(next as RecordFilters).toString();
  return query ? `?${query}` : '?';
}
