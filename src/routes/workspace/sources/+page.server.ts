import type { SourceSummary } from '$lib/server/sources/index.js';
import { apiGet } from '$lib/web/api.server';
import { registerCan } from '$lib/web/components/register.server';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;
const FILTERS = ['type', 'graded', 'language', 'q'] as const;

export const load: PageServerLoad = async (event) => {
  const filters: Record<string, string> = {};
  for (const name of FILTERS) {
    const v = event.url.searchParams.get(name)?.trim();
    if (v) filters[name] = v.slice(0, 300);
  }
  if (filters.graded && !['true', 'false'].includes(filters.graded)) delete filters.graded;
  if (filters.language && !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(filters.language)) delete filters.language;
  const offset = Math.max(0, Math.floor(Number(event.url.searchParams.get('offset')) || 0));
  const query = new URLSearchParams({ ...filters, limit: String(PAGE_SIZE), offset: String(offset) });
  const list = await apiGet<{ items: SourceSummary[]; nextOffset: number | null }>(event, `/sources?${query}`);
  return {
    sources: list.items,
    filters,
    offset,
    nextOffset: list.nextOffset,
    previousOffset: offset > 0 ? Math.max(0, offset - PAGE_SIZE) : null,
    can: registerCan(event.locals.user),
  };
};
