import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { Person, PersonIdentity } from '$lib/server/people/index.js';
import type { StoryStatus } from '$lib/server/stories/index.js';
import { apiGet, callApi } from '$lib/web/api.server';
import type { FieldErrors } from '$lib/web/forms.server';
import { staffDirectory } from '$lib/web/components/register.server';
import {
  grantable,
  identityDraftOf,
  identityInput,
  invalidPerson,
  personFailure,
  readIdentity,
  readPerson,
  type PersonDraft,
  type PersonFormState,
} from '$lib/web/components/stories/people.server';
import { peopleCan } from '$lib/web/components/stories/stories.server';
import type { Actions, PageServerLoad } from './$types';

type StorySummary = { id: string; code: string; status: StoryStatus; title: string; lang: string; publicNow: boolean };

const path = (event: { params: { id: string } }) => `/people/${encodeURIComponent(event.params.id)}`;

export const load: PageServerLoad = async (event) => {
  const can = peopleCan(event.locals.user);
  if (!can.readPeople) error(403, { message: m.error_forbidden() });
  const person = await apiGet<Person>(event, path(event));
  const [stories, access, colleagues, directory] = await Promise.all([
    apiGet<{ items: StorySummary[] }>(event, `/stories?personId=${encodeURIComponent(person.id)}`),
    person.canReveal ? callApi<{ userIds: string[] }>(event, 'GET', `${path(event)}/access`) : null,
    person.canReveal && can.writePeople ? grantable(event) : [],
    person.canReveal ? staffDirectory(event) : [],
  ]);
  const names = Object.fromEntries(directory.map((u) => [u.id, u.displayName]));
  return {
    person,
    stories: stories.items,
    access: access?.ok ? access.data.userIds : null,
    names,
    colleagues,
    can,
    created: event.url.searchParams.has('created'),
  };
};

export const actions: Actions = {
  /**
   * The identity, decrypted for this one answer: the API records the read on the audit chain, and neither the
   * browser nor anything in between may keep a copy.
   */
  reveal: async (event) => {
    event.setHeaders({ 'cache-control': 'no-store' });
    const result = await callApi<PersonIdentity>(event, 'GET', `${path(event)}/identity`);
    if (!result.ok) return personFailure(event, 'reveal', result, undefined);
    return { form: 'reveal', identity: result.data, draft: identityDraftOf(result.data) };
  },

  update: async (event) => {
    const data = await event.request.formData();
    const values = readPerson(data);
    const current = await apiGet<Person>(event, path(event));
    const errors: FieldErrors = {};
    if (values.roles.length === 0) errors.roles = m.ppl_err_roles();
    if (!values.pseudonym.trim()) errors.pseudonym = m.field_required();
    if (Object.keys(errors).length) return invalidPerson('update', errors, values);
    const pseudonym = values.pseudonym.trim();
    const body = { roles: values.roles, ...(pseudonym !== current.pseudonym ? { pseudonym } : {}) };
    const result = await callApi<Person>(event, 'PATCH', path(event), body);
    if (!result.ok) return personFailure(event, 'update', result, values);
    return { form: 'update', message: m.reg_saved(), errors: {} } satisfies PersonFormState;
  },

  identity: async (event) => {
    event.setHeaders({ 'cache-control': 'no-store' });
    const draft = readIdentity(await event.request.formData());
    const values: PersonDraft = { pseudonym: '', pseudonymLang: '', roles: [], identity: draft, access: [] };
    const { identity, rowOf, errors } = identityInput(draft);
    if (Object.keys(errors).length) return invalidPerson('identity', errors, values);
    const result = await callApi<Person>(event, 'PATCH', path(event), { identity });
    if (!result.ok) return personFailure(event, 'identity', result, values, rowOf);
    return { form: 'identity', message: m.ppl_identity_saved(), errors: {} } satisfies PersonFormState;
  },

  access: async (event) => {
    const data = await event.request.formData();
    const me = event.locals.user!.id;
    const userIds = [...new Set([me, ...data.getAll('access').filter((v): v is string => typeof v === 'string')])];
    const result = await callApi(event, 'PUT', `${path(event)}/access`, { userIds });
    if (!result.ok) return personFailure(event, 'access', result, undefined);
    return { form: 'access', message: m.ppl_access_saved(), errors: {} } satisfies PersonFormState;
  },
};
