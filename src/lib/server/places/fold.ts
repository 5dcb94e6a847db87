/**
 * The folded form of a name that place search compares against, identical on both databases (no FTS, no collation):
 *
 * - NFKD, then combining marks dropped: `é` → `e`, `Şuşa` → `susa`, `ё` → `е`, `й` → `и` (both sides fold alike);
 * - lower case with the locale-independent Unicode mapping (`toLowerCase`, never `toLocaleLowerCase`);
 * - Azerbaijani and Turkish letters that do not decompose folded as they are commonly typed: dotless `ı` → `i` (so
 *   `LAÇIN` finds `Laçın`; `İ` already decomposes to `i`), schwa `ə` → `e` (`xankendi` finds `Xankəndi`);
 * - the Armenian ligature `և` spelt out as `եւ` (NFKD does it; kept explicit for the upper-case form `ԵՒ` too), and
 *   then `եւ` written `եվ`, as reformed spelling and capitals (`ԵՐԵՎԱՆ`) have it: `Երևան`, `Երեւան`, `Երեվան` and
 *   `ԵՐԵՎԱՆ` all fold to `երեվան`. Place search and the search engine (search/normalize.ts) share this one rule;
 *   stored keys made before it are recomputed by migration 0009;
 * - every run of anything that is not a letter or a digit becomes one space, trimmed: words are then separated by
 *   exactly one space, which is what the word-start match (`LIKE 'q%' OR LIKE '% q%'`) relies on. The key never
 *   holds `%`, `_` or `\`, so a folded query needs no LIKE escaping (it is escaped anyway).
 */
export function searchKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\u0587/g, '\u0565\u0582')
    .replace(/\u0131/g, 'i')
    .replace(/\u0259/g, 'e')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/\u0565\u0582/g, '\u0565\u057e');
}
