import { getLocale } from '$lib/paraglide/runtime';
import { DERIVATIVE_SIZES } from '$lib/server/evidence/index.js';
import { PHOTO_LANGS, PHOTO_SIZES, type PublicPhoto } from '$lib/server/photos/index.js';

type Lang = (typeof PHOTO_LANGS)[number];

/** What a page needs to draw one public picture: WebP and JPEG candidates with their real widths, and a fallback. */
export interface Picture {
  webp: string;
  jpeg: string;
  src: string;
  width: number;
  height: number;
  /** The largest copy, for the "open the largest version" link. */
  largest: { url: string; width: number; height: number };
}

/** A caption in the reader's language, or the first one there is, marked as untranslated. */
export interface Caption {
  text: string;
  lang: Lang;
  fallback: boolean;
}

export interface PhotoCard {
  id: string;
  code: string;
  caption: Caption;
  credit: string;
  takenOn: string | null;
  place: string | null;
  picture: Picture | null;
}

/**
 * The copies' pixel sizes follow from the largest one: every size is the original fitted inside a square box
 * (`DERIVATIVE_SIZES`, never enlarged), so a size's width is the large copy's scaled to that box. The API gives the
 * large copy's dimensions only; `srcset` needs each width for the browser to pick the smallest that fills the slot.
 */
export function pictureOf(photo: PublicPhoto): Picture | null {
  const { width, height } = photo;
  if (!width || !height) return null;
  const long = Math.max(width, height);
  const made = PHOTO_SIZES.flatMap((size) => {
    const urls = photo.images[size];
    if (!urls) return [];
    const scale = Math.min(1, DERIVATIVE_SIZES[size] / long);
    return [{ size, urls, width: Math.round(width * scale), height: Math.round(height * scale) }];
  });
  if (made.length === 0) return null;
  // A small original makes several copies of one width; a srcset must not list a width twice.
  const distinct = made.filter((c, i) => made.findIndex((o) => o.width === c.width) === i);
  const fallback = made.find((c) => c.size === 'web') ?? made[0]!;
  const largest = made[made.length - 1]!;
  return {
    webp: distinct.map((c) => `${c.urls.webp} ${c.width}w`).join(', '),
    jpeg: distinct.map((c) => `${c.urls.jpeg} ${c.width}w`).join(', '),
    src: fallback.urls.jpeg,
    width: fallback.width,
    height: fallback.height,
    largest: { url: largest.urls.jpeg, width: largest.width, height: largest.height },
  };
}

export function captionOf(photo: Pick<PublicPhoto, 'captions'>, locale: Lang = getLocale()): Caption {
  const own = photo.captions[locale];
  if (own) return { text: own, lang: locale, fallback: false };
  const other = PHOTO_LANGS.find((l) => photo.captions[l]) ?? locale;
  return { text: photo.captions[other] ?? '', lang: other, fallback: true };
}

/** Only what the grid shows, in the reader's language: four captions per item would weigh four times more. */
export function cardOf(photo: PublicPhoto): PhotoCard {
  return {
    id: photo.id,
    code: photo.code,
    caption: captionOf(photo),
    credit: photo.credit,
    takenOn: photo.takenOn,
    place: photo.place,
    picture: pictureOf(photo),
  };
}
