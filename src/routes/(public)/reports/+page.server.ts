import { getLocale } from '$lib/paraglide/runtime';
import type { EditionSummary, LocalText } from '$lib/server/reports/index.js';
import { apiGet } from '$lib/web/api.server';
import type { PageServerLoad } from './$types';

type Item = EditionSummary & { reportTitle: LocalText };

export const load: PageServerLoad = async (event) => {
  const { items } = await apiGet<{ items: Item[] }>(event, '/public/editions');
  // Editions in the reader's language first; the others stay listed (each is in its own language).
  const locale = getLocale();
  const sorted = [...items].sort((a, b) => Number(b.lang === locale) - Number(a.lang === locale));
  return {
    editions: sorted.map((e) => ({
      id: e.id,
      lang: e.lang,
      asOf: e.asOf,
      pages: e.pages,
      pdfSize: e.pdfSize,
      hasPdf: e.pdfSha256 !== null,
      title: e.reportTitle,
      supersededBy: e.supersededBy,
    })),
  };
};
