import type { PublicPhoto } from '$lib/server/photos/index.js';
import { apiGet } from '$lib/web/api.server';
import { captionOf, pictureOf } from '../pictures.server';
import type { PageServerLoad } from './$types';

// A photo withdrawn since it was published answers 410 from the API; apiGet turns that into this route's error page.
export const load: PageServerLoad = async (event) => {
  const photo = await apiGet<PublicPhoto>(event, `/public/photos/${encodeURIComponent(event.params.id)}`);
  return {
    photo: {
      id: photo.id,
      code: photo.code,
      credit: photo.credit,
      takenOn: photo.takenOn,
      place: photo.place,
      tags: photo.tags,
      usage: photo.usage,
      sourceUrl: photo.sourceUrl,
      licence: photo.licence,
      publishedAt: photo.publishedAt,
    },
    caption: captionOf(photo),
    picture: pictureOf(photo),
  };
};
