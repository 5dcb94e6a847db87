import type { Locale } from '$lib/paraglide/runtime';
import { locales } from '$lib/paraglide/runtime';
import { localizePath } from '$lib/web/locale';

export const OG_LOCALE: Record<Locale, string> = { en: 'en_GB', fr: 'fr_FR', hy: 'hy_AM', ru: 'ru_RU' };

/**
 * A JSON-LD block. It is data, never executed, so the CSP's script-src does not apply; every `<` is escaped so a
 * title containing `</script>` cannot end the block early.
 */
export function jsonLdScript(data: Record<string, unknown>): string {
  const json = JSON.stringify({ '@context': 'https://schema.org', ...data }).replace(/</g, '\\u003c');
  return `<script type="application/ld+json">${json}</script>`;
}

/** The same page in every language, plus x-default (English), as absolute addresses for hreflang links. */
export function alternates(origin: string, path: string): { hreflang: string; href: string }[] {
  return [
    ...locales.map((l) => ({ hreflang: l, href: `${origin}${localizePath(path, l)}` })),
    { hreflang: 'x-default', href: `${origin}${localizePath(path, 'en')}` },
  ];
}
