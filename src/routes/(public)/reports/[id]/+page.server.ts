import type { Edition } from '$lib/server/reports/index.js';
import { apiGet } from '$lib/web/api.server';
import type { PageServerLoad } from './$types';

// A published edition is read on slow links and by crawlers: no JavaScript at all.
export const csr = false;

export const load: PageServerLoad = async (event) => {
  const edition = await apiGet<Omit<Edition, 'failure' | 'stage' | 'progress'>>(
    event,
    `/public/editions/${encodeURIComponent(event.params.id)}`,
  );
  const card = edition.content?.keyNumbers.day ? 'day' : null;
  return {
    edition,
    // OpenGraph wants an absolute address.
    ogImage: card ? `${event.url.origin}/api/public/editions/${edition.id}/card?kind=${card}&format=png` : null,
    pdfUrl: edition.pdfSha256 ? `${event.url.origin}/api/public/editions/${edition.id}/pdf` : null,
    url: event.url.href,
  };
};
