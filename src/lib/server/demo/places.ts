import type { CreatePlaceInput } from '../places/index.js';

/**
 * The demo gazetteer: the four places of DOMAIN.md §4, with the names each goes by in Armenian, Russian, English and
 * Azerbaijani. Coordinates are approximate (town centres). Alternative names carry a kind only where it is a plain
 * fact of spelling (a transliteration); which name is "official" is disputed here, and the gazetteer does not rule
 * on it.
 */
export const DEMO_PLACES: readonly (CreatePlaceInput & { name: string })[] = [
  {
    name: 'Stepanakert',
    type: 'city',
    altNames: [
      { name: 'Ստեփանակերտ', lang: 'hy' },
      { name: 'Степанакерт', lang: 'ru' },
      { name: 'Khankendi', lang: 'en', kind: 'transliteration' },
      { name: 'Xankəndi', lang: 'az-Latn' },
    ],
    geometry: { type: 'Point', coordinates: [46.752, 39.815] },
  },
  {
    name: 'Goris',
    type: 'town',
    altNames: [
      { name: 'Գորիս', lang: 'hy' },
      { name: 'Горис', lang: 'ru' },
    ],
    geometry: { type: 'Point', coordinates: [46.339, 39.511] },
  },
  {
    name: 'Berdzor',
    type: 'town',
    altNames: [
      { name: 'Բերձոր', lang: 'hy' },
      { name: 'Lachin', lang: 'en', kind: 'transliteration' },
      { name: 'Laçın', lang: 'az-Latn' },
      { name: 'Лачин', lang: 'ru' },
      { name: 'Бердзор', lang: 'ru' },
    ],
    geometry: { type: 'Point', coordinates: [46.546, 39.64] },
  },
  {
    name: 'Shushi',
    type: 'town',
    altNames: [
      { name: 'Շուշի', lang: 'hy' },
      { name: 'Shusha', lang: 'en', kind: 'transliteration' },
      { name: 'Şuşa', lang: 'az-Latn' },
      { name: 'Шуши', lang: 'ru' },
      { name: 'Шуша', lang: 'ru' },
    ],
    geometry: { type: 'Point', coordinates: [46.749, 39.758] },
  },
];
