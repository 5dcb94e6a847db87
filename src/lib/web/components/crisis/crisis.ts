/**
 * The crisis dashboard's vocabulary for pages: services and severities named in the reader's language, language
 * variants picked for the reader. Client-safe: types only come from the server schemas.
 */
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { SERVICES, SEVERITIES, CRISIS_STATUSES, Variants } from '$lib/server/crisis/index.js';

type Names<T extends readonly string[]> = Record<T[number], () => string>;

export const SERVICE: Names<typeof SERVICES> = {
  gas: m.crisis_service_gas,
  electricity: m.crisis_service_electricity,
  internet: m.crisis_service_internet,
  mobile: m.crisis_service_mobile,
  water: m.crisis_service_water,
  fuel: m.crisis_service_fuel,
  custom: m.crisis_service_custom,
};

export const SEVERITY: Names<typeof SEVERITIES> = {
  complete: m.crisis_severity_complete,
  partial: m.crisis_severity_partial,
};

export const CRISIS_STATUS: Names<typeof CRISIS_STATUSES> = {
  ongoing: m.crisis_status_ongoing,
  ended: m.crisis_status_ended,
};

export const ACTIVITY_KIND: Record<'crisis' | 'disruption' | 'indicator' | 'observation' | 'key-figure', () => string> =
  {
    crisis: m.crisis_kind_crisis,
    disruption: m.crisis_kind_disruption,
    indicator: m.crisis_kind_indicator,
    observation: m.crisis_kind_observation,
    'key-figure': m.crisis_kind_key_figure,
  };

export function formatInstant(iso: string, locale: string = getLocale()): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(
    new Date(iso),
  );
}

export const VARIANT_LANGS = ['en', 'fr', 'hy', 'ru'] as const;

/** The reader's variant, else the first there is (English, French, Armenian, Russian), with its language. */
export function pickText(v: Variants | null | undefined, locale: string = getLocale()): { text: string; lang: string } {
  if (!v) return { text: '', lang: locale };
  const own = v[locale as keyof Variants];
  if (own) return { text: own, lang: locale };
  const lang = VARIANT_LANGS.find((l) => v[l]) ?? 'en';
  return { text: v[lang] ?? '', lang };
}

/** A service's name: a custom one by its label. */
export function serviceName(d: { service: string; label: string | null }): string {
  if (d.service === 'custom' && d.label) return d.label;
  const name = SERVICE[d.service as keyof typeof SERVICE];
  return name ? name() : d.service;
}

export function formatNumber(n: number, locale: string = getLocale()): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(n);
}

/** A calendar date in full, read as a date (no time zone shift). */
export function formatDay(date: string | null | undefined, locale: string = getLocale()): string {
  if (!date) return '';
  const [y, mo, d] = date.split('-').map(Number);
  if (!y || !mo || !d) return date;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, mo - 1, d)),
  );
}
