import { searchKey } from '../places/index.js';

/**
 * The one normaliser for search, run in JS on indexed text and on queries alike, so that SQLite and PostgreSQL see
 * the same folded words (neither database's own folding is relied on: PostgreSQL under the C locale does not even
 * lower-case Armenian). It is the gazetteer's `searchKey` (NFKD, marks dropped, lower case, `և` and `եւ` → `եվ` so
 * that `Երևան`, `Երեւան` and `ԵՐԵՎԱՆ` meet, punctuation → single spaces): place search folds alike.
 */
export function fold(text: string): string {
  return searchKey(text);
}

/** The folded words of a text. */
export function words(text: string): string[] {
  const f = fold(text);
  return f === '' ? [] : f.split(' ');
}
