import * as m from '$lib/paraglide/messages';
import { apiGet, callApi } from '$lib/web/api.server';
import { apiFailure, field, invalid, type FormState } from '$lib/web/forms.server';
import { recordFilters, referenceData, registerCan, toQuery } from '$lib/web/components/register.server';
import { normalise, type SearchList } from './search';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 25;

/** A saved search as the API may list it: its query string, or its parameters as an object. */
interface SavedSearch {
  id: string;
  name: string;
  query?: string | Record<string, string>;
  params?: Record<string, string>;
}

function savedQuery(s: SavedSearch): string {
  const q = s.query ?? s.params ?? '';
  return typeof q === 'string' ? q.replace(/^\?/, '') : new URLSearchParams(q).toString();
}

export const load: PageServerLoad = async (event) => {
  const filters = recordFilters(event.url);
  const cursor = event.url.searchParams.get('cursor')?.slice(0, 64) || undefined;
  const [list, reference, saved] = await Promise.all([
    apiGet<SearchList>(event, `/records?${toQuery(filters, { limit: String(PAGE_SIZE), cursor })}`),
    referenceData(event),
    // Saved searches live in their own module; without it the page simply offers none.
    callApi<{ items: SavedSearch[] }>(event, 'GET', '/saved-searches'),
  ]);
  return {
    page: normalise(list),
    filters,
    paged: !!cursor,
    rights: reference.rights,
    places: reference.places,
    saved: saved.ok ? saved.data.items.map((s) => ({ id: s.id, name: s.name, query: savedQuery(s) })) : null,
    can: registerCan(event.locals.user),
  };
};

export const actions: Actions = {
  saveSearch: async (event) => {
    const data = await event.request.formData();
    const name = field(data, 'name').trim();
    const query = field(data, 'query').replace(/^\?/, '').slice(0, 2000);
    if (!name) return invalid('saveSearch', { name: m.field_required() }, { name, query });
    const params = Object.fromEntries(new URLSearchParams(query));
    const result = await callApi(event, 'POST', '/saved-searches', { name, query, params });
    if (!result.ok) {
      if (result.status === 404 || result.status === 405)
        return { form: 'saveSearch', message: m.reg_saved_unavailable(), errors: {} } satisfies FormState;
      return apiFailure(event, 'saveSearch', result, { name, query });
    }
    return { form: 'saveSearch', message: m.reg_saved_done({ name }) } satisfies FormState;
  },
};
