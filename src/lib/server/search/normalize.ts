import { searchKey } from '../places/index.js';

/**
 * The one normaliser for search, run in JS on indexed text and on queries alike, so that SQLite and PostgreSQL see
 * the same folded words (neither database's own folding is relied on: PostgreSQL under the C locale does not even
 * lower-case Armenian). It is the gazetteer's `searchKey` (NFKD, marks dropped, lower case, `և` and `եւ` → `եվ` so
 * that `Երևան`, `Երեւան` and `ԵՐԵՎԱՆ` meet, punctuation → single spaces): place search folds alike.
 */
export function fold(text: string): string {
  let out = '';
  let gap = false;
  // Characters that fold to themselves (most of them, in lower-case text) are copied a run at a time.
  let run = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < TABLE_SIZE && SAME[c] === 1) {
      if (run === -1) {
        if (gap && out !== '') out += ' ';
        gap = false;
        run = i;
      }
      continue;
    }
    // One space between two such characters is already the separator the output needs: the run goes on.
    if (c === 32 && run !== -1) {
      const d = text.charCodeAt(i + 1);
      if (d < TABLE_SIZE && SAME[d] === 1) continue;
    }
    if (run !== -1) {
      out += text.slice(run, i);
      run = -1;
    }
    const m = c < TABLE_SIZE ? TABLE[c] : undefined;
    if (m === undefined) return slowFold(text);
    if (m === GAP) gap = true;
    else if (m !== '') {
      if (gap && out !== '') out += ' ';
      gap = false;
      out += m;
    }
  }
  if (run !== -1) out += run === 0 ? text : text.slice(run);
  return out.includes('\u0565\u0582') ? out.replace(/\u0565\u0582/g, '\u0565\u057e') : out;
}

/** The definition: `fold` must always equal it (normalize.test.ts checks on random text). */
export function slowFold(text: string): string {
  return searchKey(text);
}

// The fast path (an import folds every text of every row, and the regular expressions of `searchKey` were a tenth
// of its time): below U+0590 (Latin, Greek, Cyrillic, Armenian) each character folds on its own, so a table built
// from the per-character steps of `searchKey` gives the same result (`եւ` → `եվ` spans two: done on the whole). A
// character whose folding needs its context (capital sigma, `Ϲ`: final or not), or gives letters and a separator at
// once (`½`), is not in it: text holding one takes the slow path.
const TABLE_SIZE = 0x0590;
/** The character is a separator. */
const GAP = '\u0000';
const TABLE: (string | undefined)[] = Array.from({ length: TABLE_SIZE }, (_, c) => {
  const d = String.fromCharCode(c).normalize('NFKD');
  if (d.includes('\u03a3')) return undefined;
  const m = d
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\u0587/g, '\u0565\u0582')
    .replace(/\u0131/g, 'i')
    .replace(/\u0259/g, 'e');
  if (/^[\p{L}\p{N}]*$/u.test(m)) return m;
  return /[\p{L}\p{N}]/u.test(m) ? undefined : GAP;
});
/** 1 where a character folds to itself. */
const SAME = Uint8Array.from(TABLE, (m, c) => (m !== GAP && m === String.fromCharCode(c) ? 1 : 0));

/** The folded words of a text. */
export function words(text: string): string[] {
  const f = fold(text);
  return f === '' ? [] : f.split(' ');
}
