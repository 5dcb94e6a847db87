import { getLocale } from '$lib/paraglide/runtime';
import type { PublicRecordList } from '$lib/server/records/index.js';
import { callApi } from '$lib/web/api.server';
import type { PageServerLoad } from './$types';
import { groupLabel, LANGS, originalLang, rightIndex, shown, verificationLabel, type RightNode } from './present';

/** The facets a reader can narrow by, in the order shown; each is also a query parameter of the public search. */
const FACETS = ['category', 'right', 'place', 'year', 'verification', 'group', 'tag'] as const;
type Facet = (typeof FACETS)[number];
/** Everything the page passes on to the API; anything else in the address is ignored. */
const PARAMS = ['q', 'sort', ...FACETS, 'from', 'to', 'cursor'] as const;
const PAGE_SIZE = 20;
/** Values shown per facet: the most frequent; a narrower search shows the rest. */
const FACET_VALUES = 12;

/** A summary can run to 2,000 characters: the list shows its start, the record's page the rest. */
const SUMMARY_CHARS = 280;
function short<T extends { text: string }>(s: T | null): T | null {
  if (!s || s.text.length <= SUMMARY_CHARS) return s;
  const cut = s.text.lastIndexOf(' ', SUMMARY_CHARS);
  return { ...s, text: `${s.text.slice(0, cut > 0 ? cut : SUMMARY_CHARS)} …` };
}

export const load: PageServerLoad = async (event) => {
  const locale = getLocale();
  const given = new URLSearchParams();
  for (const name of PARAMS) {
    const value = event.url.searchParams.get(name)?.trim();
    if (value) given.set(name, value);
  }
  const query = new URLSearchParams(given);
  query.set('limit', String(PAGE_SIZE));
  const [list, rights] = await Promise.all([
    callApi<PublicRecordList>(event, 'GET', `/public/records?${query}`),
    callApi<{ items: RightNode[] }>(event, 'GET', '/rights'),
  ]);
  const byId = rightIndex(rights.ok ? rights.data.items : []);
  const label = (facet: Facet, value: string, fallback: string) =>
    facet === 'right' || facet === 'category'
      ? (byId.get(value)?.names[locale] ?? fallback)
      : facet === 'verification'
        ? verificationLabel(value)
        : facet === 'group'
          ? groupLabel(value)
          : fallback;

  // The search's own state: what is set, so that each facet link adds to it and each active filter can be removed.
  const current = Object.fromEntries([...given].filter(([k]) => k !== 'cursor'));
  const active = FACETS.filter((f) => given.has(f)).map((f) => ({
    facet: f,
    value: given.get(f)!,
    label: label(f, given.get(f)!, given.get(f)!),
  }));

  // An active filter is named as its facet names it (a place's name, not its id), when the facet lists it.
  if (list.ok)
    for (const a of active) {
      const found = list.data.facets[a.facet].find((v) => v.value === a.value);
      if (found) a.label = label(a.facet, found.value, found.label);
    }

  if (!list.ok) {
    // A malformed date or an unknown sort in the address: say so on the page, with the form to fix it.
    return { current, active, invalid: true, total: null, items: [], facets: [], nextCursor: null, approx: false };
  }
  const data = list.data;
  return {
    current,
    active,
    invalid: false,
    total: data.total,
    approx: data.facetsApprox,
    sort: data.sort,
    nextCursor: data.nextCursor,
    facets: FACETS.map((facet) => ({
      facet,
      values: data.facets[facet].slice(0, FACET_VALUES).map((v) => ({
        value: v.value,
        label: label(facet, v.value, v.label),
        count: v.count,
      })),
    })).filter((f) => f.values.length > 0),
    items: data.items.map((r) => {
      const original = originalLang(r.texts);
      const pick = (field: 'title' | 'summary') =>
        shown(Object.fromEntries(LANGS.map((l) => [l, r.texts[l]?.[field]])), original, locale);
      // The snippet is cut from one of the texts: find which, so that it carries that text's language.
      const body = r.snippet?.replace(/^… /, '').replace(/ …$/, '');
      const snippetLang = body
        ? (LANGS.find((l) => {
            const t = r.texts[l];
            return t && [t.summary, t.description, t.title].some((x) => x?.includes(body));
          }) ?? null)
        : null;
      return {
        id: r.id,
        code: r.code,
        title: pick('title'),
        summary: r.snippet ? null : short(pick('summary')),
        snippet: r.snippet ? { text: r.snippet, highlights: r.highlights, lang: snippetLang } : null,
        verification: r.verification,
        startDate: r.startDate,
        startPrecision: r.startPrecision,
        endDate: r.endDate,
        endPrecision: r.endPrecision,
        ongoing: r.ongoing,
        places: r.places.map((p) => p.name),
      };
    }),
  };
};
