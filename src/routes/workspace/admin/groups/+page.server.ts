import * as m from '$lib/paraglide/messages';
import type { UserView } from '$lib/server/accounts/index.js';
import type { Group } from '$lib/server/groups/index.js';
import { apiGet, callApi } from '$lib/web/api.server';
import { apiFailure, check, field, invalid, type FieldErrors, type FormState } from '$lib/web/forms.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const [groups, users] = await Promise.all([
    apiGet<{ items: Group[] }>(event, '/groups'),
    apiGet<{ items: UserView[] }>(event, '/users'),
  ]);
  return { groups: groups.items, users: users.items };
};

/** The name and description fields, checked here so that the common mistakes read in the user's language. */
function readGroup(data: FormData) {
  const values = { name: field(data, 'name').trim(), description: field(data, 'description').trim() };
  const errors: FieldErrors = {};
  check.required(errors, 'name', values.name);
  return { values, errors };
}

export const actions: Actions = {
  create: async (event) => {
    const { values, errors } = readGroup(await event.request.formData());
    if (Object.keys(errors).length) return invalid('create', errors, values);
    const result = await callApi<Group>(event, 'POST', '/groups', {
      name: values.name,
      description: values.description || null,
    });
    if (!result.ok) return apiFailure(event, 'create', result, values);
    return { form: 'create', message: m.groups_created() } satisfies FormState;
  },

  update: async (event) => {
    const data = await event.request.formData();
    const id = field(data, 'id');
    const { values, errors } = readGroup(data);
    if (Object.keys(errors).length) return invalid(`group:${id}`, errors, values);
    const memberIds = data.getAll('memberIds').filter((v): v is string => typeof v === 'string');
    const result = await callApi<Group>(event, 'PATCH', `/groups/${encodeURIComponent(id)}`, {
      name: values.name,
      description: values.description || null,
      memberIds,
    });
    if (!result.ok) return apiFailure(event, `group:${id}`, result, values);
    return { form: `group:${id}`, message: m.groups_saved() } satisfies FormState;
  },

  delete: async (event) => {
    const id = field(await event.request.formData(), 'id');
    const result = await callApi(event, 'DELETE', `/groups/${encodeURIComponent(id)}`);
    if (!result.ok) return apiFailure(event, `group:${id}`, result);
    return { form: 'groups', message: m.groups_deleted() } satisfies FormState;
  },
};
