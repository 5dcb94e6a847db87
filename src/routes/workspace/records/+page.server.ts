import * as m from '$lib/paraglide/messages';
import type { RecordList } from '$lib/server/records/index.js';
import type { SavedSearch } from '$lib/server/search/index.js';
import { apiGet, callApi } from '$lib/web/api.server';
import { apiFailure, field, invalid, type FormState } from '$lib/web/forms.server';
import { recordFilters, referenceData, registerCan, toQuery } from '$lib/web/components/register.server';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 25;

export const load: PageServerLoad = async (event) => {
  const filters = recordFilters(event.url);
  const cursor = event.url.searchParams.get('cursor')?.slice(0, 64) || undefined;
  const [list, reference, saved] = await Promise.all([
    apiGet<RecordList>(event, `/records?${toQuery(filters, { limit: String(PAGE_SIZE), cursor })}`),
    referenceData(event),
    apiGet<{ items: SavedSearch[] }>(event, '/saved-searches'),
  ]);
  return {
    list,
    filters,
    paged: !!cursor,
    rights: reference.rights,
    places: reference.places,
    saved: saved.items,
    can: registerCan(event.locals.user),
  };
};

export const actions: Actions = {
  saveSearch: async (event) => {
    const data = await event.request.formData();
    const name = field(data, 'name').trim();
    const params = field(data, 'params').replace(/^\?/, '').slice(0, 2000);
    if (!name) return invalid('saveSearch', { name: m.field_required() }, { name, params });
    const result = await callApi(event, 'POST', '/saved-searches', { name, params });
    if (!result.ok) return apiFailure(event, 'saveSearch', result, { name, params });
    return { form: 'saveSearch', message: m.reg_saved_done({ name }) } satisfies FormState;
  },

  deleteSearch: async (event) => {
    const id = field(await event.request.formData(), 'id');
    const result = await callApi(event, 'DELETE', `/saved-searches/${encodeURIComponent(id)}`);
    if (!result.ok) return apiFailure(event, 'saveSearch', result);
    return { form: 'saveSearch', message: m.reg_saved_deleted() } satisfies FormState;
  },
};
