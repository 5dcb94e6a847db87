import type { z } from 'zod';
import { getLocale } from '$lib/paraglide/runtime';
import type { PublicPhoto } from '$lib/server/photos/index.js';
import type { PublicRecord, PublicRecordListSchema } from '$lib/server/records/index.js';
import type { RightTreeSchema } from '$lib/server/rights/index.js';
import type { PublicStory } from '$lib/server/stories/index.js';
import { apiGet, callApi, type ApiResult } from '$lib/web/api.server';
import { cardOf } from '../../photos/pictures.server';
import { shownText, STORY_LANGS, type StoryLang } from '../texts';
import type { PageServerLoad } from './$types';

/** A linked thing the public may not see (a record unpublished since, a photo withdrawn) is left out, not shown. */
const okOnly = <T>(results: ApiResult<T>[]): T[] => results.flatMap((r) => (r.ok ? [r.data] : []));

// A story no longer published (consent withdrawn or expired, or taken down) answers 410 from the API; apiGet turns that
// into this route's error page, with the status kept.
export const load: PageServerLoad = async (event) => {
  const story = await apiGet<PublicStory>(event, `/public/stories/${encodeURIComponent(event.params.id)}`);
  const locale = getLocale();
  const text = shownText(story.texts, locale);

  const [tree, records, photos] = await Promise.all([
    story.rightIds.length ? callApi<z.infer<typeof RightTreeSchema>>(event, 'GET', '/rights') : Promise.resolve(null),
    Promise.all(
      story.recordIds.map((id) => callApi<PublicRecord>(event, 'GET', `/public/records/${encodeURIComponent(id)}`)),
    ).then(okOnly),
    Promise.all(
      story.photoIds.map((id) => callApi<PublicPhoto>(event, 'GET', `/public/photos/${encodeURIComponent(id)}`)),
    ).then(okOnly),
  ]);

  const rightNames = new Map<string, string>();
  if (tree?.ok)
    for (const category of tree.data.items)
      for (const node of [category, ...category.children]) rightNames.set(node.id, node.names[locale]);

  // The public API names a place only through what is public about it: a public record located there.
  const placeNames = new Map<string, string>();
  for (const r of records) for (const p of r.places) placeNames.set(p.id, p.name);
  const unnamed = story.placeIds.filter((id) => !placeNames.has(id));
  const found = await Promise.all(
    unnamed.map((id) =>
      callApi<z.infer<typeof PublicRecordListSchema>>(
        event,
        'GET',
        `/public/records?place=${encodeURIComponent(id)}&limit=1`,
      ),
    ),
  );
  unnamed.forEach((id, i) => {
    const result = found[i];
    const name = result?.ok ? result.data.items[0]?.places.find((p) => p.id === id)?.name : undefined;
    if (name) placeNames.set(id, name);
  });

  return {
    story: {
      id: story.id,
      code: story.code,
      pseudonym: story.pseudonym,
      publishedAt: story.publishedAt,
    },
    text,
    paragraphs: text.narrative
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter(Boolean),
    // The same story in the other languages it was written or translated in.
    otherLangs: STORY_LANGS.filter((l): l is StoryLang => l !== locale && story.texts[l] !== undefined),
    rights: story.rightIds.flatMap((id) => {
      const name = rightNames.get(id);
      return name ? [{ id, name }] : [];
    }),
    places: story.placeIds.flatMap((id) => {
      const name = placeNames.get(id);
      return name ? [{ id, name }] : [];
    }),
    records: records.map((r) => {
      const variant = r.texts[locale] ? locale : (STORY_LANGS.find((l) => r.texts[l]) ?? locale);
      return {
        id: r.id,
        code: r.code,
        title: r.texts[variant]?.title ?? r.code,
        lang: variant,
        fallback: variant !== locale,
        translation: r.texts[variant]?.translationStatus ?? 'original',
      };
    }),
    photos: photos.map(cardOf),
  };
};
