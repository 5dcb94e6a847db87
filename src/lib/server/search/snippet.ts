import { fold } from './normalize.js';
import type { Term } from './query.js';

/**
 * A plain-text excerpt around the first match, with the matched words as [start, end) offsets into it (UTF-16, as
 * JS strings index). Never HTML: the page marks the ranges itself, so user text is never parsed as markup.
 */
export interface Snippet {
  text: string;
  highlights: [number, number][];
}

const WINDOW = 200;
/** Long descriptions are only looked into this far, to bound the cost of a page of results. */
const SCAN_MAX = 20_000;

interface Word {
  start: number;
  end: number;
  folded: string;
}

function wordsOf(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.slice(0, SCAN_MAX).matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    // One written word can fold to several (compatibility forms): each keeps the written span.
    for (const folded of fold(m[0]).split(' '))
      if (folded !== '') out.push({ start: m.index, end: m.index + m[0].length, folded });
  }
  return out;
}

function matchAt(ws: Word[], i: number, t: Term): number {
  for (let k = 0; k < t.words.length; k += 1) {
    const w = ws[i + k];
    if (!w) return 0;
    const want = t.words[k]!;
    const last = k === t.words.length - 1;
    if (!(w.folded === want || (last && t.prefix && w.folded.startsWith(want)))) return 0;
  }
  return t.words.length;
}

/** The spans of the text that match any of the terms, in order. */
export function matches(text: string, terms: Term[]): [number, number][] {
  const ws = wordsOf(text);
  const out: [number, number][] = [];
  for (let i = 0; i < ws.length; i += 1) {
    let n = 0;
    for (const t of terms) n = Math.max(n, matchAt(ws, i, t));
    if (n > 0) {
      const span: [number, number] = [ws[i]!.start, ws[i + n - 1]!.end];
      const prev = out[out.length - 1];
      if (prev && span[0] <= prev[1]) prev[1] = Math.max(prev[1], span[1]);
      else out.push(span);
      i += n - 1;
    }
  }
  return out;
}

/**
 * The excerpt of the first text (in the order given) that has a match; when none has (the record matched through a
 * place name, say), the start of the first non-empty text, without highlights. Null when there is no text at all.
 */
export function snippet(texts: (string | null | undefined)[], terms: Term[]): Snippet | null {
  const given = texts.filter((t): t is string => typeof t === 'string' && t.trim() !== '');
  for (const text of given) {
    const spans = matches(text, terms);
    if (spans.length === 0) continue;
    const first = spans[0]!;
    let start = Math.max(0, first[0] - Math.floor(WINDOW / 3));
    // Start at a word boundary.
    if (start > 0) {
      const space = text.lastIndexOf(' ', start);
      start = space === -1 ? 0 : space + 1;
    }
    let end = Math.min(text.length, start + WINDOW);
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      if (space > first[1]) end = space;
    }
    const prefix = start > 0 ? '… ' : '';
    const suffix = end < text.length ? ' …' : '';
    const body = text.slice(start, end);
    const shift = prefix.length - start;
    return {
      text: prefix + body + suffix,
      highlights: spans
        .filter(([s, e]) => s >= start && e <= end)
        .map(([s, e]) => [s + shift, e + shift] as [number, number]),
    };
  }
  const text = given[0];
  if (text === undefined) return null;
  if (text.length <= WINDOW) return { text, highlights: [] };
  const space = text.lastIndexOf(' ', WINDOW);
  return { text: text.slice(0, space > 0 ? space : WINDOW) + ' …', highlights: [] };
}
