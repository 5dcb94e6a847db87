import { STORY_STATUSES, type StoryStatus } from '$lib/server/stories/index.js';
import { apiGet } from '$lib/web/api.server';
import { peopleCan } from '$lib/web/components/stories/stories.server';
import type { PageServerLoad } from './$types';

type StorySummary = {
  id: string;
  code: string;
  status: StoryStatus;
  pseudonym: string;
  publicNow: boolean;
  updatedAt: string;
  title: string;
  lang: string;
};

export const load: PageServerLoad = async (event) => {
  const asked = event.url.searchParams.get('status') ?? '';
  const status = (STORY_STATUSES as readonly string[]).includes(asked) ? asked : '';
  const list = await apiGet<{ items: StorySummary[] }>(event, `/stories${status ? `?status=${status}` : ''}`);
  return { stories: list.items, status, can: peopleCan(event.locals.user) };
};
