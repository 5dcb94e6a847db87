import { searchKey } from '../places/index.js';

/**
 * The one normaliser for search, run in JS on indexed text and on queries alike, so that SQLite and PostgreSQL see
 * the same folded words (neither database's own folding is relied on: PostgreSQL under the C locale does not even
 * lower-case Armenian). It is the gazetteer's `searchKey` (NFKD, marks dropped, lower case, `և` → `եւ`, punctuation
 * → single spaces), plus one Armenian spelling rule: `եւ` is written `եվ` in reformed spelling and in capitals
 * (`ԵՐԵՎԱՆ`), so both become `եվ` and `Երևան`, `Երեւան` and `ԵՐԵՎԱՆ` meet.
 */
export function fold(text: string): string {
  return searchKey(text).replace(/\u0565\u0582/g, '\u0565\u057e');
}

/** The folded words of a text. */
export function words(text: string): string[] {
  const f = fold(text);
  return f === '' ? [] : f.split(' ');
}
