import { error, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { Story } from '$lib/server/stories/index.js';
import { callApi } from '$lib/web/api.server';
import { localizePath } from '$lib/web/locale';
import {
  emptyStoryDraft,
  invalidStory,
  peopleCan,
  readStoryDraft,
  storyFailure,
  storyInput,
  storyReference,
} from '$lib/web/components/stories/stories.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!peopleCan(event.locals.user).writeStories) error(403, { message: m.error_forbidden() });
  const draft = emptyStoryDraft();
  // From a person's page: the story is about them.
  draft.personId = event.url.searchParams.get('person') ?? '';
  return { draft, ...(await storyReference(event)) };
};

export const actions: Actions = {
  default: async (event) => {
    const draft = readStoryDraft(await event.request.formData());
    const { input, errors } = storyInput(draft);
    if (Object.keys(errors).length) return invalidStory(errors, draft);
    const created = await callApi<Story>(event, 'POST', '/stories', input);
    if (!created.ok) return storyFailure(event, created, draft);
    // Straight to the editor, where the PII guard can check the saved draft.
    redirect(303, localizePath(`/workspace/stories/${created.data.id}/edit`, event.locals.locale) + '?created=1');
  },
};
