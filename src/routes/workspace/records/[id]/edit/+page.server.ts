import { error, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { RecordView } from '$lib/server/records/index.js';
import { apiGet, callApi } from '$lib/web/api.server';
import { draftOf } from '$lib/web/components/record-draft';
import { registerCan } from '$lib/web/components/register.server';
import { localizePath } from '$lib/web/locale';
import { accessIds, formReference, invalidDraft, readDraft, recordFailure, toInput } from '../../record-form.server';
import type { Actions, PageServerLoad } from './$types';

const FROZEN = ['approved', 'published'];

export const load: PageServerLoad = async (event) => {
  if (!registerCan(event.locals.user).writeRecords) error(403, { message: m.error_forbidden() });
  const record = await apiGet<RecordView>(event, `/records/${encodeURIComponent(event.params.id)}`);
  const user = event.locals.user!;
  const mayNameAccess = record.authorId === user.id || user.role === 'admin';
  return {
    record: { id: record.id, code: record.code, status: record.status, version: record.version },
    frozen: FROZEN.includes(record.status),
    draft: draftOf(record),
    ...(await formReference(event, record, mayNameAccess)),
  };
};

export const actions: Actions = {
  default: async (event) => {
    const id = encodeURIComponent(event.params.id);
    const data = await event.request.formData();
    const version = String(data.get('version') ?? '');
    const draft = readDraft(data);
    const { input, errors, rowOf } = toInput(draft);
    if (Object.keys(errors).length) return invalidDraft(errors, draft);
    const current = await apiGet<RecordView>(event, `/records/${id}`);
    // A frozen record takes only what may still change; the content fields would be refused whole.
    const body = FROZEN.includes(current.status)
      ? {
          verification: input.verification,
          verificationNote: input.verificationNote,
          confidentiality: input.confidentiality,
        }
      : input;
    const saved = await callApi<RecordView>(event, 'PATCH', `/records/${id}`, body, { 'if-match': `"${version}"` });
    if (!saved.ok) return recordFailure(event, saved, draft, rowOf, current.version);
    const user = event.locals.user!;
    if (current.authorId === user.id || user.role === 'admin') {
      const access = accessIds(draft);
      const same = (a: string[], b: string[]) => [...a].sort().join() === [...b].sort().join();
      if (!same(access.userIds, current.accessUserIds) || !same(access.groupIds, current.accessGroupIds)) {
        const named = await callApi(event, 'PUT', `/records/${id}/access`, access);
        if (!named.ok) return recordFailure(event, named, draft, rowOf);
      }
    }
    redirect(303, localizePath(`/workspace/records/${saved.data.id}`, event.locals.locale) + '?saved=1');
  },
};
