import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { Edition } from '$lib/server/reports/index.js';
import { apiGet } from '$lib/web/api.server';
import type { PageServerLoad } from './$types';

/** Where one number of a published edition comes from: its computation, records, intervals and sources. */
export const load: PageServerLoad = async (event) => {
  const edition = await apiGet<Omit<Edition, 'failure' | 'stage' | 'progress'>>(
    event,
    `/public/editions/${encodeURIComponent(event.params.id)}`,
  );
  const content = edition.content;
  const trace = content?.traces.find((t) => t.id === event.params.trace);
  if (!content || !trace) error(404, { message: m.error_not_found() });
  const sourceIds = new Set([...trace.sourceIds, ...trace.items.flatMap((i) => i.sourceIds)]);
  return {
    editionId: edition.id,
    lang: content.lang,
    title: edition.reportTitle,
    asOf: edition.asOf,
    // The edition's day card, when it has a day number, is the share image; otherwise the live one.
    card: content.keyNumbers.day ? `/api/public/editions/${edition.id}/card?kind=day&format=png` : undefined,
    trace,
    sources: content.annex.filter((a) => sourceIds.has(a.id)),
  };
};
