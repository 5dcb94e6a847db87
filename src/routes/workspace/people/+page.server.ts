import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { Person } from '$lib/server/people/index.js';
import { apiGet } from '$lib/web/api.server';
import { peopleCan } from '$lib/web/components/stories/stories.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const can = peopleCan(event.locals.user);
  // The registry is restricted: not even its pseudonyms are shown to roles without people:read.
  if (!can.readPeople) error(403, { message: m.error_forbidden() });
  const list = await apiGet<{ items: Person[] }>(event, '/people');
  const collator = new Intl.Collator(event.locals.locale);
  return { people: [...list.items].sort((a, b) => collator.compare(a.pseudonym, b.pseudonym)), can };
};
