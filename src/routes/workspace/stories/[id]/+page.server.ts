import { fail, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { Source } from '$lib/server/sources/index.js';
import type { Story } from '$lib/server/stories/index.js';
import { apiGet, callApi, type ApiResult } from '$lib/web/api.server';
import { field, type FieldErrors, type FormState } from '$lib/web/forms.server';
import { ENROL_PATH, signInPath } from '$lib/web/guard';
import { localizePath } from '$lib/web/locale';
import { problemMessage } from '$lib/web/problems';
import { linkedRecords, referenceData } from '$lib/web/components/register.server';
import type { GuardFinding } from '$lib/web/components/stories/stories';
import { guardFindings, peopleCan } from '$lib/web/components/stories/stories.server';
import type { Actions, PageServerLoad } from './$types';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const path = (event: { params: { id: string } }) => `/stories/${encodeURIComponent(event.params.id)}`;

type StoryActionState = FormState & { guard?: GuardFinding[] };

export const load: PageServerLoad = async (event) => {
  const story = await apiGet<Story>(event, path(event));
  const [records, reference, source] = await Promise.all([
    linkedRecords(event, story.recordIds),
    referenceData(event),
    story.interviewSourceId
      ? callApi<Source>(event, 'GET', `/sources/${encodeURIComponent(story.interviewSourceId)}`)
      : null,
  ]);
  const placeNames = new Map(reference.places.map((p) => [p.id, p.name]));
  const user = event.locals.user!;
  return {
    story,
    records,
    rights: reference.rights,
    places: story.placeIds.map((id) => ({ id, name: placeNames.get(id) ?? id })),
    source: source?.ok ? { id: source.data.id, title: source.data.title } : null,
    can: peopleCan(user),
    isAuthor: story.authorId === user.id,
    saved: event.url.searchParams.has('saved'),
  };
};

/** A refused action: the story workflow's own refusals in the reader's language, field errors next to fields. */
function failure(
  event: Parameters<Actions[string]>[0],
  form: string,
  result: Extract<ApiResult<unknown>, { ok: false }>,
  fields: Record<string, string> = {},
  values: Record<string, string> = {},
) {
  if (result.slug === 'unauthenticated') redirect(303, signInPath(event.locals.locale, event.url.pathname));
  if (result.slug === 'second-factor-required') redirect(303, localizePath(ENROL_PATH, event.locals.locale));
  if (result.slug === 'pii-guard')
    return fail(422, {
      form,
      message: m.story_err_pii_guard(),
      errors: {},
      guard: guardFindings(result.problem.errors ?? []),
    } satisfies StoryActionState);
  const known: Record<string, () => string> = {
    'four-eyes': m.story_err_four_eyes,
    'consent-required': m.story_err_consent_required,
  };
  const errors: FieldErrors = {};
  for (const e of result.problem.errors ?? []) {
    const name = fields[e.path] ?? e.path.split('.')[0]!;
    errors[name] ??= /witness/i.test(e.message)
      ? m.story_err_witness()
      : /SHA-256/i.test(e.message)
        ? m.story_err_sha256()
        : /before givenOn/i.test(e.message)
          ? m.story_err_expires_before()
          : /why the story is unpublished/i.test(e.message)
            ? m.story_err_reason()
            : /too small|received undefined/i.test(e.message)
              ? m.field_required()
              : m.field_invalid();
  }
  const message =
    known[result.slug]?.() ??
    (Object.keys(errors).length
      ? m.error_form()
      : problemMessage({ status: result.status, slug: result.slug, detail: result.problem.detail }).message);
  const detail = known[result.slug] || Object.keys(errors).length ? undefined : result.problem.detail;
  return fail(result.status, { form, message, detail, errors, values } satisfies StoryActionState);
}

export const actions: Actions = {
  transition: async (event) => {
    const data = await event.request.formData();
    const to = field(data, 'to');
    const reason = field(data, 'reason').trim();
    if (to === 'unpublished' && !reason)
      return fail(422, {
        form: 'transition',
        message: m.error_form(),
        errors: { reason: m.story_err_reason() },
      } satisfies StoryActionState);
    const result = await callApi(event, 'POST', `${path(event)}/transitions`, { to, ...(reason ? { reason } : {}) });
    if (!result.ok) return failure(event, 'transition', result);
    return { form: 'transition', message: m.story_moved() } satisfies StoryActionState;
  },

  /** A reviewer publishes despite the guard's findings, with a written reason that goes to the audit chain. */
  override: async (event) => {
    const reason = field(await event.request.formData(), 'overrideReason').trim();
    if (reason.length < 10)
      return fail(422, {
        form: 'override',
        message: m.error_form(),
        errors: { overrideReason: m.story_err_override_reason() },
        values: { overrideReason: reason },
      } satisfies StoryActionState);
    const result = await callApi(event, 'POST', `${path(event)}/transitions`, {
      to: 'published',
      piiOverride: { reason },
    });
    if (!result.ok)
      return failure(event, 'override', result, { 'piiOverride.reason': 'overrideReason' }, { overrideReason: reason });
    return { form: 'transition', message: m.story_published_override() } satisfies StoryActionState;
  },

  consent: async (event) => {
    const data = await event.request.formData();
    const values = {
      givenOn: field(data, 'givenOn').trim(),
      expiresOn: field(data, 'expiresOn').trim(),
      evidence: field(data, 'evidence'),
      evidenceNote: field(data, 'evidenceNote').trim(),
      witness: field(data, 'witness').trim(),
      formSha256: field(data, 'formSha256').trim().toLowerCase(),
      scopes: data
        .getAll('scopes')
        .filter((v): v is string => typeof v === 'string')
        .join(' '),
    };
    const errors: FieldErrors = {};
    if (!values.scopes) errors.scopes = m.story_err_scopes();
    if (!values.givenOn) errors.givenOn = m.field_required();
    else if (!DAY.test(values.givenOn)) errors.givenOn = m.reg_err_iso_day();
    if (values.expiresOn && !DAY.test(values.expiresOn)) errors.expiresOn = m.reg_err_iso_day();
    else if (values.expiresOn && !errors.givenOn && values.expiresOn < values.givenOn)
      errors.expiresOn = m.story_err_expires_before();
    if (values.evidence !== 'form' && values.evidence !== 'verbal') errors.evidence = m.field_required();
    if (!values.evidenceNote) errors.evidenceNote = m.field_required();
    if (values.evidence === 'verbal' && !values.witness) errors.witness = m.story_err_witness();
    if (values.evidence === 'form' && !SHA256.test(values.formSha256)) errors.formSha256 = m.story_err_sha256();
    if (Object.keys(errors).length)
      return fail(422, { form: 'consent', message: m.error_form(), errors, values } satisfies StoryActionState);
    const result = await callApi(event, 'POST', `${path(event)}/consents`, {
      scopes: values.scopes.split(' '),
      givenOn: values.givenOn,
      expiresOn: values.expiresOn || null,
      evidence: values.evidence,
      evidenceNote: values.evidenceNote,
      witness: values.witness || null,
      formSha256: values.evidence === 'form' ? values.formSha256 : null,
    });
    if (!result.ok) return failure(event, 'consent', result, {}, values);
    return { form: 'consent', message: m.story_consent_recorded() } satisfies StoryActionState;
  },

  withdraw: async (event) => {
    const data = await event.request.formData();
    const consentId = field(data, 'consentId');
    const form = `withdraw-${consentId}`;
    const values = { withdrawnOn: field(data, 'withdrawnOn').trim(), note: field(data, 'note').trim() };
    const errors: FieldErrors = {};
    if (!values.withdrawnOn) errors.withdrawnOn = m.field_required();
    else if (!DAY.test(values.withdrawnOn)) errors.withdrawnOn = m.reg_err_iso_day();
    if (!values.note) errors.note = m.field_required();
    if (Object.keys(errors).length)
      return fail(422, { form, message: m.error_form(), errors, values } satisfies StoryActionState);
    const result = await callApi(
      event,
      'POST',
      `${path(event)}/consents/${encodeURIComponent(consentId)}/withdrawal`,
      values,
    );
    if (!result.ok) return failure(event, form, result, {}, values);
    return { form: 'consents', message: m.story_consent_withdrawn() } satisfies StoryActionState;
  },
};
