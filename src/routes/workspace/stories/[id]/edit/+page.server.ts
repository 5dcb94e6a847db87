import { error, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { Story } from '$lib/server/stories/index.js';
import { apiGet, callApi } from '$lib/web/api.server';
import { localizePath } from '$lib/web/locale';
import type { GuardFinding } from '$lib/web/components/stories/stories';
import {
  checkTexts,
  draftOfStory,
  invalidStory,
  peopleCan,
  readStoryDraft,
  storyFailure,
  storyInput,
  storyReference,
  type StoryFormState,
} from '$lib/web/components/stories/stories.server';
import type { Actions, PageServerLoad } from './$types';

const EDITABLE = ['draft', 'in-review', 'unpublished'];
const path = (event: { params: { id: string } }) => `/stories/${encodeURIComponent(event.params.id)}`;

export const load: PageServerLoad = async (event) => {
  if (!peopleCan(event.locals.user).writeStories) error(403, { message: m.error_forbidden() });
  const story = await apiGet<Story>(event, path(event));
  return {
    story: { id: story.id, code: story.code, status: story.status, version: story.version, pseudonym: story.pseudonym },
    editable: EDITABLE.includes(story.status),
    draft: draftOfStory(story),
    created: event.url.searchParams.has('created'),
    ...(await storyReference(event, story.recordIds)),
  };
};

export const actions: Actions = {
  save: async (event) => {
    const data = await event.request.formData();
    const version = Number(data.get('version'));
    const draft = readStoryDraft(data);
    const current = await apiGet<Story>(event, path(event));
    draft.personId = current.personId;
    const { input, errors } = storyInput(draft);
    if (Object.keys(errors).length) return invalidStory(errors, draft);
    const { personId: _person, ...changes } = input;
    const saved = await callApi<Story>(event, 'PATCH', path(event), { ...changes, version });
    if (!saved.ok) return storyFailure(event, saved, draft, current.version);
    redirect(303, localizePath(`/workspace/stories/${saved.data.id}`, event.locals.locale) + '?saved=1');
  },

  /** The PII guard on what is typed, without saving it: the texts come back as they were, with the findings. */
  check: async (event) => {
    const draft = readStoryDraft(await event.request.formData());
    const texts = checkTexts(draft);
    if (Object.keys(texts).length === 0)
      return {
        form: 'story',
        errors: {},
        draft,
        check: { findings: [], unchecked: [] },
      } satisfies StoryFormState;
    const result = await callApi<{ findings: GuardFinding[]; unchecked: string[] }>(
      event,
      'POST',
      `${path(event)}/pii-check`,
      { texts },
    );
    if (!result.ok) return storyFailure(event, result, draft);
    const check = {
      findings: result.data.findings.map(({ kind, field, start, end, pseudonym }) => ({
        kind,
        field,
        start,
        end,
        ...(pseudonym ? { pseudonym } : {}),
      })),
      unchecked: result.data.unchecked,
    };
    return { form: 'story', errors: {}, draft, check } satisfies StoryFormState;
  },
};
