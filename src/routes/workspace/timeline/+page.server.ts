import { allRecords, recordFilters } from '$lib/web/components/register.server';
import type { PageServerLoad } from './$types';

/** How many records each period lists by name; the rest are a link to the filtered list. */
const PER_PERIOD = 25;

export const load: PageServerLoad = async (event) => {
  const filters = recordFilters(event.url);
  const yearParam = event.url.searchParams.get('year') ?? '';
  const year = /^\d{4}$/.test(yearParam) ? yearParam : null;
  const zoom = event.url.searchParams.get('zoom') === 'month' && year ? 'month' : 'year';
  // The month view narrows the query to its year; the year view takes the filters as they are.
  const query = zoom === 'month' ? { ...filters, from: year!, to: year! } : filters;
  const { items, truncated } = await allRecords(event, query);

  const keyOf = (start: string | null): string | null => {
    if (!start) return null;
    if (zoom === 'year') return start.slice(0, 4);
    // A record that began earlier, or in this year without a month, has no month here.
    return start.length >= 7 && start.startsWith(year!) ? start.slice(0, 7) : null;
  };
  const groups = new Map<string, typeof items>();
  const undated: typeof items = [];
  for (const r of items) {
    const key = keyOf(r.startDate);
    if (key === null) {
      // In the month view, a record of the year without a month; in the year view, one without a date.
      undated.push(r);
      continue;
    }
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  let keys = [...groups.keys()].sort();
  if (zoom === 'month') keys = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
  else if (keys.length > 1) {
    // Every year between the first and the last, so that gaps show as gaps.
    const [first, last] = [Number(keys[0]), Number(keys.at(-1))];
    keys = Array.from({ length: last - first + 1 }, (_, i) => String(first + i));
  }
  const periods = keys.map((key) => {
    const records = (groups.get(key) ?? []).sort((a, b) => (a.startDate ?? '').localeCompare(b.startDate ?? ''));
    return { key, count: records.length, records: records.slice(0, PER_PERIOD) };
  });
  return {
    zoom,
    year,
    filters,
    periods,
    max: Math.max(1, ...periods.map((p) => p.count)),
    undated: { count: undated.length, records: undated.slice(0, PER_PERIOD) },
    total: items.length,
    truncated,
  };
};
