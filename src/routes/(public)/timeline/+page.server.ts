import { getLocale } from '$lib/paraglide/runtime';
import type { PublicRecordList, PublicTimeline } from '$lib/server/records/index.js';
import { callApi } from '$lib/web/api.server';
import type { PageServerLoad } from './$types';
import { shown, type RightNode } from '../records/present';

const FILTERS = ['category', 'right', 'place', 'year'] as const;
/** Records listed per month; the rest are one link away, in the records search. */
const PER_PERIOD = 12;

export const load: PageServerLoad = async (event) => {
  const locale = getLocale();
  const current: Record<string, string> = {};
  for (const name of FILTERS) {
    const value = event.url.searchParams.get(name)?.trim();
    if (value) current[name] = value;
  }
  const newest = event.url.searchParams.get('order') === 'newest';
  const query = new URLSearchParams({ ...current, perPeriod: String(PER_PERIOD) });
  // The place filter offers the places that published records name (the public search's facet), nothing else.
  const [timeline, rights, places] = await Promise.all([
    callApi<PublicTimeline>(event, 'GET', `/public/records/timeline?${query}`),
    callApi<{ items: RightNode[] }>(event, 'GET', '/rights'),
    callApi<PublicRecordList>(event, 'GET', '/public/records?limit=1'),
  ]);
  const all = timeline.ok ? timeline.data.groups : [];
  // Newest first reverses the dated periods; records without a date stay at the end either way.
  const dated = all.filter((g) => g.period !== null);
  const groups = [...(newest ? dated.reverse() : dated), ...all.filter((g) => g.period === null)];
  return {
    current,
    newest,
    invalid: !timeline.ok,
    total: timeline.ok ? timeline.data.total : 0,
    years: timeline.ok ? timeline.data.years : [],
    categories: (rights.ok ? rights.data.items : []).map((c) => ({
      id: c.id,
      name: c.names[locale],
      rights: (c.children ?? []).map((r) => ({ id: r.id, name: r.names[locale] })),
    })),
    places: places.ok ? places.data.facets.place.map((p) => ({ id: p.value, name: p.label })) : [],
    groups: groups.map((g) => ({
      period: g.period,
      count: g.count,
      items: (newest ? [...g.items].reverse() : g.items).map((i) => ({
        id: i.id,
        code: i.code,
        title: shown(i.titles, i.originalLang, locale),
        verification: i.verification,
        startDate: i.startDate,
        startPrecision: i.startPrecision,
        endDate: i.endDate,
        ongoing: i.ongoing,
      })),
    })),
  };
};
