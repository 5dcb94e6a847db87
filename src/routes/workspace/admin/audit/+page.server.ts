import type { AuditEntry, AuditVerification } from '$lib/server/audit/index.js';
import type { UserView } from '$lib/server/accounts/index.js';
import { apiGet, callApi } from '$lib/web/api.server';
import { apiFailure } from '$lib/web/forms.server';
import type { Actions, PageServerLoad } from './$types';

const TEXT_FILTERS = ['actorId', 'action', 'entityType', 'entityId'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PAGE_SIZE = 50;

/** The filter form speaks in UTC days; the API wants instants. Anything malformed is dropped, not guessed. */
function filtersFrom(url: URL) {
  const filters: Record<string, string> = {};
  for (const name of TEXT_FILTERS) {
    const value = url.searchParams.get(name)?.trim();
    if (value) filters[name] = value.slice(0, 100);
  }
  const from = url.searchParams.get('from') ?? '';
  const to = url.searchParams.get('to') ?? '';
  if (DAY.test(from)) filters.from = from;
  if (DAY.test(to)) filters.to = to;
  return filters;
}

export const load: PageServerLoad = async (event) => {
  const filters = filtersFrom(event.url);
  const query = new URLSearchParams();
  for (const name of TEXT_FILTERS) if (filters[name]) query.set(name, filters[name]);
  if (filters.from) query.set('from', `${filters.from}T00:00:00.000Z`);
  if (filters.to) query.set('to', `${filters.to}T23:59:59.999Z`);
  const before = Number(event.url.searchParams.get('before'));
  if (Number.isInteger(before) && before > 0) query.set('before', String(before));
  query.set('limit', String(PAGE_SIZE));

  const [page, users] = await Promise.all([
    apiGet<{ items: AuditEntry[]; nextBefore: number | null }>(event, `/audit?${query}`),
    // Names for actor IDs; an auditor without user management still sees the IDs.
    callApi<{ items: UserView[] }>(event, 'GET', '/users'),
  ]);
  const actors = users.ok ? users.data.items.map((u) => ({ id: u.id, name: u.displayName, email: u.email })) : [];
  return { entries: page.items, nextBefore: page.nextBefore, filters, paged: query.has('before'), actors };
};

export const actions: Actions = {
  verify: async (event) => {
    const result = await callApi<AuditVerification>(event, 'GET', '/audit/verify');
    if (!result.ok) return apiFailure(event, 'verify', result);
    return { form: 'verify', verification: result.data };
  },
};
