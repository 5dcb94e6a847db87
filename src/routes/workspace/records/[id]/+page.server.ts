import { fail, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { Group } from '$lib/server/groups/index.js';
import type { DiffSchema, RecordView, RevisionSummary } from '$lib/server/records/index.js';
import type { RecordSourceListSchema } from '$lib/server/sources/index.js';
import type { z } from '@hono/zod-openapi';
import { apiGet, callApi, type ApiResult } from '$lib/web/api.server';
import { field, type FormState } from '$lib/web/forms.server';
import { ENROL_PATH, signInPath } from '$lib/web/guard';
import { localizePath } from '$lib/web/locale';
import { problemMessage } from '$lib/web/problems';
import { referenceData, registerCan, staffDirectory } from '$lib/web/components/register.server';
import type { Actions, PageServerLoad } from './$types';

type Diff = z.infer<typeof DiffSchema>;
type RecordSourceList = z.infer<typeof RecordSourceListSchema>;

export const load: PageServerLoad = async (event) => {
  const id = encodeURIComponent(event.params.id);
  const [record, revisions, reference, sources, directory, groups] = await Promise.all([
    apiGet<RecordView>(event, `/records/${id}`),
    apiGet<{ items: RevisionSummary[] }>(event, `/records/${id}/revisions`),
    referenceData(event),
    apiGet<RecordSourceList>(event, `/records/${id}/sources`),
    // Names for the history and the people named on a restricted record.
    staffDirectory(event),
    callApi<{ items: Group[] }>(event, 'GET', '/groups'),
  ]);
  const revs = revisions.items;
  const latest = revs.at(-1)?.rev ?? 1;
  const asked = (name: string) => {
    const n = Number(event.url.searchParams.get(name));
    return Number.isInteger(n) && n >= 1 && n <= latest ? n : undefined;
  };
  // By default the last change; any two revisions on request.
  const to = asked('to') ?? latest;
  const from = asked('from') ?? Math.max(1, to - 1);
  const diff = from !== to ? await callApi<Diff>(event, 'GET', `/records/${id}/diff?from=${from}&to=${to}`) : null;

  const placeNames = new Map(reference.places.map((p) => [p.id, p.name]));
  const user = event.locals.user!;
  return {
    record,
    revisions: revs,
    diff: diff?.ok ? diff.data : null,
    compare: { from, to },
    places: record.placeIds.map((pid) => ({ id: pid, name: placeNames.get(pid) ?? pid })),
    rights: reference.rights,
    sources: sources.items,
    groups: Object.fromEntries((groups.ok ? groups.data.items : []).map((g) => [g.id, g.name])),
    names: Object.fromEntries(directory.map((u) => [u.id, u.displayName])),
    can: registerCan(user),
    isAuthor: record.authorId === user.id,
    saved: event.url.searchParams.has('saved'),
    accessFailed: event.url.searchParams.get('access') === 'failed',
  };
};

function failure(
  event: Parameters<Actions[string]>[0],
  form: string,
  result: Extract<ApiResult<unknown>, { ok: false }>,
) {
  if (result.slug === 'unauthenticated') redirect(303, signInPath(event.locals.locale, event.url.pathname));
  if (result.slug === 'second-factor-required') redirect(303, localizePath(ENROL_PATH, event.locals.locale));
  const known: Record<string, () => string> = {
    'four-eyes': m.reg_err_four_eyes,
    'invalid-transition': m.reg_err_invalid_transition,
    'not-editable': m.reg_err_not_editable,
    stale: m.reg_err_stale_action,
  };
  const errors: Record<string, string> = {};
  for (const e of result.problem.errors ?? []) if (e.path === 'reason') errors.reason = m.reg_err_reason();
  const message =
    known[result.slug]?.() ??
    (Object.keys(errors).length
      ? m.error_form()
      : problemMessage({ status: result.status, slug: result.slug, detail: result.problem.detail }).message);
  const detail = known[result.slug] || Object.keys(errors).length ? undefined : result.problem.detail;
  return fail(result.status, { form, message, detail, errors } satisfies FormState);
}

export const actions: Actions = {
  transition: async (event) => {
    const data = await event.request.formData();
    const to = field(data, 'to');
    const reason = field(data, 'reason').trim();
    const note = field(data, 'note').trim();
    if (to === 'unpublished' && !reason)
      return fail(422, {
        form: 'transition',
        message: m.error_form(),
        errors: { reason: m.reg_err_reason() },
      } satisfies FormState);
    const body = { to, ...(reason ? { reason } : {}), ...(note ? { note } : {}) };
    const result = await callApi(event, 'POST', `/records/${encodeURIComponent(event.params.id)}/transitions`, body);
    if (!result.ok) return failure(event, 'transition', result);
    return { form: 'transition', message: m.reg_moved() } satisfies FormState;
  },

  restore: async (event) => {
    const rev = Number(field(await event.request.formData(), 'rev'));
    const result = await callApi(
      event,
      'POST',
      `/records/${encodeURIComponent(event.params.id)}/revisions/${rev}/restore`,
    );
    if (!result.ok) return failure(event, 'restore', result);
    return { form: 'restore', message: m.reg_restored({ rev }) } satisfies FormState;
  },
};
