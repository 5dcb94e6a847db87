import { error, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { CreatePersonInput, Person } from '$lib/server/people/index.js';
import { callApi } from '$lib/web/api.server';
import type { FieldErrors } from '$lib/web/forms.server';
import { localizePath } from '$lib/web/locale';
import {
  grantable,
  identityInput,
  invalidPerson,
  personFailure,
  readPerson,
} from '$lib/web/components/stories/people.server';
import { peopleCan } from '$lib/web/components/stories/stories.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!peopleCan(event.locals.user).writePeople) error(403, { message: m.error_forbidden() });
  return { colleagues: await grantable(event) };
};

export const actions: Actions = {
  default: async (event) => {
    const values = readPerson(await event.request.formData());
    const { identity, rowOf, errors: identityErrors } = identityInput(values.identity);
    const errors: FieldErrors = { ...identityErrors };
    if (values.roles.length === 0) errors.roles = m.ppl_err_roles();
    if (Object.keys(errors).length) return invalidPerson('person', errors, values);
    const body: CreatePersonInput = {
      ...(values.pseudonym.trim() ? { pseudonym: values.pseudonym.trim() } : {}),
      pseudonymLang: values.pseudonymLang as 'en',
      roles: values.roles as ['victim'],
      identity,
      access: values.access,
    };
    const result = await callApi<Person>(event, 'POST', '/people', body);
    if (!result.ok) return personFailure(event, 'person', result, values, rowOf);
    redirect(303, localizePath(`/workspace/people/${result.data.id}`, event.locals.locale) + '?created=1');
  },
};
