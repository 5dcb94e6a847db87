/**
 * Server-side helpers of the people and stories pages: what the signed-in user may do (to show actions only; the
 * API decides), the story form read from a post and turned into the API's input, and the PII guard's 422 turned
 * back into findings.
 */
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { Me } from '$lib/server/accounts/index.js';
import { ROLE_PERMISSIONS } from '$lib/server/http/access.js';
import type { Person } from '$lib/server/people/index.js';
import type { RecordSummary } from '$lib/server/records/index.js';
import type { SourceSummary } from '$lib/server/sources/index.js';
import type { CreateStoryInput, Story } from '$lib/server/stories/index.js';
import { apiGet, callApi, type ApiResult } from '$lib/web/api.server';
import type { FieldErrors } from '$lib/web/forms.server';
import { ENROL_PATH, signInPath } from '$lib/web/guard';
import { localizePath } from '$lib/web/locale';
import { problemMessage } from '$lib/web/problems';
import { pickTitle } from '../register';
import { referenceData } from '../register.server';
import { STORY_LANG_ORDER, type GuardFinding, type StoryLang } from './stories';

export function peopleCan(user: Me | null) {
  const granted = !user || user.pendingSecondFactor ? [] : ROLE_PERMISSIONS[user.role];
  return {
    readPeople: granted.includes('people:read'),
    writePeople: granted.includes('people:write'),
    readStories: granted.includes('register:read'),
    writeStories: granted.includes('stories:write'),
    review: granted.includes('stories:review'),
  };
}

export interface StoryDraft {
  personId: string;
  texts: Record<StoryLang, { title: string; narrative: string; translation: string }>;
  recordIds: string[];
  rightIds: string[];
  placeIds: string[];
  photoIds: string;
  interviewSourceId: string;
}

export function emptyStoryDraft(): StoryDraft {
  return {
    personId: '',
    texts: Object.fromEntries(
      STORY_LANG_ORDER.map((l) => [l, { title: '', narrative: '', translation: 'original' }]),
    ) as StoryDraft['texts'],
    recordIds: [],
    rightIds: [],
    placeIds: [],
    photoIds: '',
    interviewSourceId: '',
  };
}

export function draftOfStory(s: Story): StoryDraft {
  const d = emptyStoryDraft();
  for (const l of STORY_LANG_ORDER) {
    const t = s.texts[l];
    if (t) d.texts[l] = { title: t.title, narrative: t.narrative, translation: t.translation };
  }
  return {
    ...d,
    personId: s.personId,
    recordIds: s.recordIds,
    rightIds: s.rightIds,
    placeIds: s.placeIds,
    photoIds: s.photoIds.join('\n'),
    interviewSourceId: s.interviewSourceId ?? '',
  };
}

const str = (data: FormData, name: string) => {
  const v = data.get(name);
  return typeof v === 'string' ? v : '';
};
const all = (data: FormData, name: string) =>
  data.getAll(name).filter((v): v is string => typeof v === 'string' && v !== '');

export function readStoryDraft(data: FormData): StoryDraft {
  const d = emptyStoryDraft();
  for (const l of STORY_LANG_ORDER)
    d.texts[l] = {
      title: str(data, `texts.${l}.title`),
      narrative: str(data, `texts.${l}.narrative`),
      translation: str(data, `texts.${l}.translation`) || 'original',
    };
  return {
    ...d,
    personId: str(data, 'personId'),
    recordIds: all(data, 'recordIds'),
    rightIds: all(data, 'rightIds'),
    placeIds: all(data, 'placeIds'),
    photoIds: str(data, 'photoIds'),
    interviewSourceId: str(data, 'interviewSourceId'),
  };
}

type Texts = CreateStoryInput['texts'];

/** The languages with anything typed; a half-written one is sent as it is, so that the API names the empty field. */
export function storyTexts(d: StoryDraft): Texts {
  const texts: Texts = {};
  for (const l of STORY_LANG_ORDER) {
    const t = d.texts[l];
    if (!t.title.trim() && !t.narrative.trim()) continue;
    texts[l] = { title: t.title, narrative: t.narrative, translation: t.translation as 'original' };
  }
  return texts;
}

/**
 * The texts for a PII check: an empty title or narrative beside a written one becomes a dash, so that the check
 * runs on what is there rather than stopping at the missing part.
 */
export function checkTexts(d: StoryDraft): Texts {
  const texts: Texts = {};
  for (const l of STORY_LANG_ORDER) {
    const t = d.texts[l];
    if (!t.title.trim() && !t.narrative.trim()) continue;
    texts[l] = { title: t.title.trim() || '-', narrative: t.narrative.trim() || '-', translation: 'original' };
  }
  return texts;
}

export function storyInput(d: StoryDraft): { input: CreateStoryInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (!d.personId) errors.personId = m.story_err_person();
  const texts = storyTexts(d);
  if (Object.keys(texts).length === 0) errors.texts = m.story_err_one_language();
  for (const [l, t] of Object.entries(texts)) {
    if (!t.title.trim()) errors[`texts.${l}.title`] = m.field_required();
    if (!t.narrative.trim()) errors[`texts.${l}.narrative`] = m.field_required();
  }
  const photoIds = [...new Set(d.photoIds.split(/[\s,]+/).filter(Boolean))];
  return {
    input: {
      personId: d.personId,
      texts,
      recordIds: d.recordIds,
      rightIds: d.rightIds,
      placeIds: d.placeIds,
      photoIds,
      interviewSourceId: d.interviewSourceId || null,
    },
    errors,
  };
}

/** An API error path → the input it belongs to (arrays point at their whole picker). */
export function storyFieldOf(path: string): string {
  const [head] = path.split('.');
  if (head === 'recordIds' || head === 'rightIds' || head === 'placeIds' || head === 'photoIds') return head;
  if (path === 'texts') return 'texts';
  if (head === '(root)' || head === '') return 'form';
  return path;
}

export function storyFieldMessage(message: string): string {
  if (/no such person/i.test(message)) return m.story_err_person_unknown();
  if (/must be an interview/i.test(message)) return m.story_err_not_interview();
  if (/no such source/i.test(message)) return m.story_err_source_unknown();
  if (/^unknown:/i.test(message)) return m.story_err_unknown_ids();
  if (/at least one language/i.test(message)) return m.story_err_one_language();
  if (/too small|expected string|received undefined/i.test(message)) return m.field_required();
  if (/too big|at most/i.test(message)) return m.field_too_long();
  return m.field_invalid();
}

export interface StoryFormState {
  form: 'story';
  message?: string;
  detail?: string;
  errors: FieldErrors;
  draft: StoryDraft;
  stale?: boolean;
  version?: number;
  /** A PII check's result on what was typed. */
  check?: { findings: GuardFinding[]; unchecked: string[] };
}

export function storyFailure(
  event: Pick<RequestEvent, 'locals' | 'url'>,
  result: Extract<ApiResult<unknown>, { ok: false }>,
  draft: StoryDraft,
  version?: number,
) {
  if (result.slug === 'unauthenticated') redirect(303, signInPath(event.locals.locale, event.url.pathname));
  if (result.slug === 'second-factor-required') redirect(303, localizePath(ENROL_PATH, event.locals.locale));
  const errors: FieldErrors = {};
  for (const e of result.problem.errors ?? []) errors[storyFieldOf(e.path)] ??= storyFieldMessage(e.message);
  const stale = result.status === 409 && /changed by someone else/i.test(result.problem.detail ?? '');
  const message = stale
    ? m.story_err_stale()
    : result.status === 422
      ? m.error_form()
      : problemMessage({ status: result.status, slug: result.slug, detail: result.problem.detail }).message;
  const detail = stale || result.status === 422 ? undefined : result.problem.detail;
  return fail(result.status, {
    form: 'story',
    message,
    detail,
    errors,
    draft,
    stale,
    version: stale ? version : undefined,
  } satisfies StoryFormState);
}

export function invalidStory(errors: FieldErrors, draft: StoryDraft) {
  return fail(422, { form: 'story', message: m.error_form(), errors, draft } satisfies StoryFormState);
}

/**
 * The guard's refusal of a publication (422 `pii-guard`): its errors say, in English, where and what
 * ("texts.en.narrative, characters 5–19: the real name of the protected person Anahit M."). Read back into findings
 * so the page can say it in the reader's language; the matched text is never in them.
 */
export function guardFindings(errors: { path: string; message: string }[]): GuardFinding[] {
  return errors.map((e) => {
    const at = /characters (\d+)\D+(\d+): (.*)$/.exec(e.message);
    const what = at?.[3] ?? e.message;
    const person = /protected person (.+)$/.exec(what)?.[1];
    const kind = /part of the real name/.test(what)
      ? 'name-part'
      : /real name/.test(what)
        ? 'real-name'
        : /address/.test(what)
          ? 'address'
          : /phone/.test(what)
            ? 'phone'
            : /e-mail/.test(what)
              ? 'email'
              : /ID|passport/.test(what)
                ? 'id-number'
                : 'other';
    return {
      kind,
      field: e.path,
      start: at ? Number(at[1]) - 1 : 0,
      end: at ? Number(at[2]) : 0,
      ...(person ? { pseudonym: person } : {}),
    };
  });
}

/**
 * What the story form offers: the registry by pseudonym, recent records (plus those already linked), rights,
 * places and the interview sources.
 */
export async function storyReference(event: RequestEvent, linked: string[] = []) {
  const [people, recent, reference, sources] = await Promise.all([
    apiGet<{ items: Person[] }>(event, '/people'),
    apiGet<{ items: RecordSummary[] }>(event, '/records?limit=200'),
    referenceData(event),
    callApi<{ items: SourceSummary[] }>(event, 'GET', '/sources?type=interview&limit=500'),
  ]);
  const collator = new Intl.Collator(event.locals.locale);
  const records = recent.items.map((r) => ({ id: r.id, label: `${r.code} · ${pickTitle(r.titles).title}` }));
  for (const id of linked) if (!records.some((r) => r.id === id)) records.push({ id, label: `#${id.slice(-6)}` });
  return {
    people: [...people.items]
      .sort((a, b) => collator.compare(a.pseudonym, b.pseudonym))
      .map((p) => ({ id: p.id, pseudonym: p.pseudonym })),
    records,
    rights: reference.rights,
    places: reference.places.map((p) => ({ id: p.id, name: p.name })),
    sources: sources.ok ? sources.data.items.map((s) => ({ id: s.id, title: s.title })) : [],
  };
}
