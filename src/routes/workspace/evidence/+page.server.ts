import { error, fail } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { EvidenceSummary, IngestResult, UploadSettings } from '$lib/server/evidence/index.js';
import { ROLE_PERMISSIONS } from '$lib/server/http/access.js';
import { apiGet, type ProblemDetails } from '$lib/web/api.server';
import { field, type FormState } from '$lib/web/forms.server';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 50;
const TYPES = ['image', 'video', 'audio', 'document'];

export const load: PageServerLoad = async (event) => {
  const user = event.locals.user;
  const granted = user && !user.pendingSecondFactor ? ROLE_PERMISSIONS[user.role] : [];
  if (!granted.includes('evidence:read')) error(403, { message: m.error_forbidden() });
  const p = event.url.searchParams;
  const filters: Record<string, string> = {};
  const q = p.get('q')?.trim();
  if (q) filters.q = q.slice(0, 200);
  if (TYPES.includes(p.get('type') ?? '')) filters.type = p.get('type')!;
  const offset = Math.max(0, Math.floor(Number(p.get('offset')) || 0));
  const canWrite = granted.includes('evidence:write');
  const [list, uploads] = await Promise.all([
    apiGet<{ items: EvidenceSummary[]; nextOffset: number | null }>(
      event,
      `/evidence?${new URLSearchParams({ ...filters, limit: String(PAGE_SIZE), offset: String(offset) })}`,
    ),
    canWrite ? apiGet<UploadSettings>(event, '/evidence/uploads') : Promise.resolve(null),
  ]);
  return {
    items: list.items,
    filters,
    offset,
    nextOffset: list.nextOffset,
    canWrite,
    // The resumable upload's part size is the server's to choose (larger when files go to S3).
    partSize: uploads?.partSize ?? null,
  };
};

export const actions: Actions = {
  /** The no-JavaScript upload: the form's file goes on to the API as it came (multipart). */
  upload: async (event) => {
    const data = await event.request.formData();
    const file = data.get('file');
    const values = { title: field(data, 'title'), origin: field(data, 'origin'), tool: field(data, 'tool') };
    if (!(file instanceof File) || file.size === 0)
      return fail(422, {
        form: 'upload',
        message: m.error_form(),
        errors: { file: m.field_required() },
        values,
      } satisfies FormState);
    const body = new FormData();
    body.set('file', file, file.name);
    for (const k of ['title', 'origin', 'tool', 'method'])
      if (field(data, k).trim()) body.set(k, field(data, k).trim());
    const res = await event.fetch('/api/evidence', {
      method: 'POST',
      headers: { origin: event.url.origin, accept: 'application/json' },
      body,
    });
    if (res.ok) {
      const r = (await res.json()) as IngestResult;
      return {
        form: 'upload',
        message: r.duplicate ? m.ev_upload_duplicate({ code: r.item.code }) : m.ev_upload_done({ code: r.item.code }),
        created: r.item.id,
      };
    }
    const problem = (await res.json().catch(() => ({}))) as Partial<ProblemDetails>;
    return fail(res.status, {
      form: 'upload',
      message: m.ev_upload_failed({ reason: problem.detail ?? res.statusText }),
      errors: { file: problem.detail ?? m.field_invalid() },
      values,
    } satisfies FormState);
  },
};
