import { getLocale } from '$lib/paraglide/runtime';
import type { ReportTitles } from '$lib/server/reports/index.js';

const ORDER = ['en', 'fr', 'hy', 'ru'] as const;

/** A report's title in the reader's language, else in the first language it has, with that language for `lang`. */
export function titleIn(titles: ReportTitles, locale: (typeof ORDER)[number] = getLocale()) {
  const own = titles[locale];
  if (own) return { text: own, lang: locale };
  const other = ORDER.find((l) => titles[l]) ?? locale;
  return { text: titles[other] ?? '', lang: other };
}

/** An ISO date as the reader's language writes it ("21 mars 2023"). */
export function longDate(iso: string, locale: string = getLocale()): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${iso.slice(0, 10)}T00:00:00Z`),
  );
}
