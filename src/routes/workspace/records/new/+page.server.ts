import { error, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { RecordView } from '$lib/server/records/index.js';
import { callApi } from '$lib/web/api.server';
import { emptyDraft } from '$lib/web/components/record-draft';
import { registerCan } from '$lib/web/components/register.server';
import { localizePath } from '$lib/web/locale';
import { accessIds, formReference, invalidDraft, readDraft, recordFailure, toInput } from '../record-form.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!registerCan(event.locals.user).writeRecords) error(403, { message: m.error_forbidden() });
  return { draft: emptyDraft(), ...(await formReference(event, null, true)) };
};

export const actions: Actions = {
  default: async (event) => {
    const draft = readDraft(await event.request.formData());
    const { input, errors, rowOf } = toInput(draft);
    if (Object.keys(errors).length) return invalidDraft(errors, draft);
    const created = await callApi<RecordView>(event, 'POST', '/records', input);
    if (!created.ok) return recordFailure(event, created, draft, rowOf);
    const access = accessIds(draft);
    // The author names who may see a restricted record; the record exists either way, so a refusal here is shown
    // on the record's page rather than losing the save.
    let note = '';
    if (access.userIds.length || access.groupIds.length) {
      const named = await callApi(event, 'PUT', `/records/${created.data.id}/access`, access);
      if (!named.ok) note = '?access=failed';
    }
    redirect(303, localizePath(`/workspace/records/${created.data.id}`, event.locals.locale) + (note || '?saved=1'));
  },
};
