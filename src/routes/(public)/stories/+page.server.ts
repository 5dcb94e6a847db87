import type { z } from 'zod';
import { getLocale } from '$lib/paraglide/runtime';
import type { PublicStoryListSchema } from '$lib/server/stories/index.js';
import { apiGet } from '$lib/web/api.server';
import { excerpt, shownText } from './texts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { items } = await apiGet<z.infer<typeof PublicStoryListSchema>>(event, '/public/stories');
  const locale = getLocale();
  return {
    stories: [...items]
      .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))
      .map((s) => {
        const text = shownText(s.texts, locale);
        return {
          id: s.id,
          pseudonym: s.pseudonym,
          publishedAt: s.publishedAt,
          title: text.title,
          excerpt: excerpt(text.narrative),
          lang: text.lang,
          fallback: text.fallback,
          translation: text.translation,
        };
      }),
  };
};
