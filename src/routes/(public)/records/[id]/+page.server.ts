import { getLocale } from '$lib/paraglide/runtime';
import type { PublicRecord } from '$lib/server/records/index.js';
import { apiGet, callApi } from '$lib/web/api.server';
import type { PageServerLoad } from './$types';
import { LANGS, originalLang, rightIndex, shown, type RightNode } from '../present';

export const load: PageServerLoad = async (event) => {
  const locale = getLocale();
  // Published and public only (the public API's rule): anything else is the same 404 as a record that never existed.
  const [record, rights] = await Promise.all([
    apiGet<PublicRecord>(event, `/public/records/${encodeURIComponent(event.params.id)}`),
    callApi<{ items: RightNode[] }>(event, 'GET', '/rights'),
  ]);
  const byId = rightIndex(rights.ok ? rights.data.items : []);
  const original = originalLang(record.texts);
  const pick = (field: 'title' | 'summary' | 'description') =>
    shown(Object.fromEntries(LANGS.map((l) => [l, record.texts[l]?.[field]])), original, locale);
  // Rights under their category, in the taxonomy's words in the reader's language.
  const categories = new Map<string, { name: string; rights: { code: string; name: string }[] }>();
  for (const id of record.rightIds) {
    const right = byId.get(id);
    if (!right) continue;
    const category = right.parentId ? byId.get(right.parentId) : undefined;
    const key = category?.id ?? '';
    const entry = categories.get(key) ?? { name: category?.names[locale] ?? '', rights: [] };
    entry.rights.push({ code: right.code, name: right.names[locale] });
    categories.set(key, entry);
  }
  return {
    record: {
      id: record.id,
      code: record.code,
      title: pick('title'),
      summary: pick('summary'),
      // A description may be missing in the reader's language while the summary is there: each falls back alone.
      description: pick('description'),
      verification: record.verification,
      violationType: record.violationType,
      startDate: record.startDate,
      startPrecision: record.startPrecision,
      endDate: record.endDate,
      endPrecision: record.endPrecision,
      ongoing: record.ongoing,
      affected: Object.entries(record.affected).flatMap(([group, n]) => (n === null ? [] : [{ group, n }])),
      responsible: record.responsible,
      places: record.places,
      rights: [...categories.values()],
      tags: record.tags,
      links: record.links,
      publishedAt: record.publishedAt,
    },
  };
};
