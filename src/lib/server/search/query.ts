import { words } from './normalize.js';

/**
 * The search box's little language, parsed into folded terms that are then compiled for FTS5 or PostgreSQL. Nothing
 * the user types reaches either engine's query syntax as such: every term is reduced to folded letter and digit runs
 * and quoted, so column filters, NEAR, `^`, `:`, parentheses and stray quotes are only ever words or separators.
 *
 * - words are joined by AND; `a OR b` gives alternatives (OR binds tighter than the implicit AND);
 * - `"…"` is a phrase; a word that folds to several (`l'électricité`) is a phrase too;
 * - `-w`, `-"…"` or `NOT w` excludes;
 * - `w*` is a prefix search; the last plain word is one as well (search as you type). A prefix needs
 *   `PREFIX_MIN` characters, shorter ones match whole words only;
 * - `AND` and parentheses are accepted and ignored.
 */
export interface Term {
  /** Folded words; more than one is a phrase. */
  words: string[];
  /** The last word is a prefix. */
  prefix: boolean;
}

export interface ParsedQuery {
  /** Every group must match; a group matches when one of its terms does. */
  all: Term[][];
  /** None of these may match. */
  none: Term[];
}

export const QUERY_MAX = 500;
export const PREFIX_MIN = 3;
/** Terms beyond this are dropped: a bound on the cost of one query. */
export const TERMS_MAX = 24;
const WORD_MAX = 64;

type Token =
  | { kind: 'term'; words: string[]; prefix: boolean; explicitPrefix: boolean; negated: boolean; quoted: boolean }
  | { kind: 'or' };

function tokenize(input: string): Token[] {
  // Control characters (NUL included) are separators.
  // eslint-disable-next-line no-control-regex
  const s = input.slice(0, QUERY_MAX).replace(/[\u0000-\u001f\u007f]/g, ' ');
  const out: Token[] = [];
  let negateNext = false;
  let i = 0;
  const isSpace = (c: string) => /\s|[()]/.test(c);
  while (i < s.length) {
    const c = s[i]!;
    if (isSpace(c)) {
      i += 1;
      continue;
    }
    let negated = negateNext;
    negateNext = false;
    if (c === '-' && i + 1 < s.length && !isSpace(s[i + 1]!)) {
      negated = true;
      i += 1;
    }
    if (s[i] === '"') {
      const end = s.indexOf('"', i + 1);
      const text = end === -1 ? s.slice(i + 1) : s.slice(i + 1, end);
      i = end === -1 ? s.length : end + 1;
      const ws = words(text).map((w) => w.slice(0, WORD_MAX));
      if (ws.length > 0)
        out.push({ kind: 'term', words: ws, prefix: false, explicitPrefix: false, negated, quoted: true });
      continue;
    }
    let j = i;
    while (j < s.length && !isSpace(s[j]!) && s[j] !== '"') j += 1;
    const raw = s.slice(i, j);
    i = j;
    if (!negated && raw === 'OR') {
      out.push({ kind: 'or' });
      continue;
    }
    if (!negated && raw === 'AND') continue;
    if (!negated && raw === 'NOT') {
      negateNext = true;
      continue;
    }
    const ws = words(raw).map((w) => w.slice(0, WORD_MAX));
    if (ws.length === 0) continue;
    const explicitPrefix = /[\p{L}\p{N}\p{M}]\*+$/u.test(raw);
    out.push({ kind: 'term', words: ws, prefix: explicitPrefix, explicitPrefix, negated, quoted: false });
  }
  return out;
}

const longEnough = (w: string) => [...w].length >= PREFIX_MIN;

export function parseQuery(input: string): ParsedQuery {
  const tokens = tokenize(input);
  // The last plain, positive word is a prefix: results follow the user as they type.
  for (let k = tokens.length - 1; k >= 0; k -= 1) {
    const t = tokens[k]!;
    if (t.kind !== 'term') continue;
    if (!t.negated && !t.quoted) t.prefix = true;
    break;
  }
  const all: Term[][] = [];
  const none: Term[] = [];
  let joinNext = false;
  let lastPositive = false;
  let count = 0;
  for (const t of tokens) {
    if (t.kind === 'or') {
      joinNext = lastPositive;
      continue;
    }
    if (count >= TERMS_MAX) break;
    count += 1;
    const term: Term = { words: t.words, prefix: t.prefix && longEnough(t.words[t.words.length - 1]!) };
    if (t.negated) none.push(term);
    else if (joinNext) all[all.length - 1]!.push(term);
    else all.push([term]);
    joinNext = false;
    lastPositive = !t.negated;
  }
  return { all, none };
}

export const isEmpty = (q: ParsedQuery): boolean => q.all.length === 0 && q.none.length === 0;

/** Every folded word the query looks for (not the excluded ones), for highlighting. */
export function positiveTerms(q: ParsedQuery): Term[] {
  return q.all.flat();
}

// Compilation. Words are folded letter and digit runs, so quoting them is enough; quotes are doubled regardless.

const ftsTerm = (t: Term) => `"${t.words.join(' ').replace(/"/g, '""')}"${t.prefix ? ' *' : ''}`;
const ftsGroup = (g: Term[]) => (g.length === 1 ? ftsTerm(g[0]!) : `(${g.map(ftsTerm).join(' OR ')})`);

/** The FTS5 expressions of the positive part and of the excluded part (each null when empty). */
export function toFts5(q: ParsedQuery): { positive: string | null; negative: string | null } {
  return {
    positive: q.all.length > 0 ? q.all.map(ftsGroup).join(' AND ') : null,
    negative: q.none.length > 0 ? q.none.map(ftsTerm).join(' OR ') : null,
  };
}

const tsLexeme = (w: string) => `'${w.replace(/['\\]/g, (c) => c + c)}'`;
const tsTerm = (t: Term) =>
  `(${t.words.map((w, i) => tsLexeme(w) + (t.prefix && i === t.words.length - 1 ? ':*' : '')).join(' <-> ')})`;

/** A PostgreSQL tsquery text for `to_tsquery`, or null when the query has no positive part. */
export function toTsQuery(q: ParsedQuery): { positive: string | null; negative: string | null } {
  return {
    positive: q.all.length > 0 ? q.all.map((g) => `(${g.map(tsTerm).join(' | ')})`).join(' & ') : null,
    negative: q.none.length > 0 ? q.none.map(tsTerm).join(' | ') : null,
  };
}
