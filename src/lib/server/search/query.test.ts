import { describe, expect, it } from 'vitest';
import { isEmpty, parseQuery, positiveTerms, QUERY_MAX, TERMS_MAX, toFts5, toTsQuery } from './query.js';
import { snippet } from './snippet.js';

const w = (words: string[], prefix = false) => ({ words, prefix });

describe('parseQuery', () => {
  it('joins words with AND and makes the last plain word a prefix', () => {
    expect(parseQuery('Électricité coupure')).toEqual({
      all: [[w(['electricite'])], [w(['coupure'], true)]],
      none: [],
    });
    expect(parseQuery('Ստեփան')).toEqual({ all: [[w(['ստեփան'], true)]], none: [] });
  });

  it('reads phrases, OR, NOT, minus and explicit prefixes', () => {
    expect(parseQuery('"power line" gaz OR gas -coupure NOT "road block" elec*')).toEqual({
      all: [[w(['power', 'line'])], [w(['gaz']), w(['gas'])], [w(['elec'], true)]],
      none: [w(['coupure']), w(['road', 'block'])],
    });
  });

  it('does not prefix-match words shorter than three letters', () => {
    expect(parseQuery('el*')).toEqual({ all: [[w(['el'])]], none: [] });
    expect(parseQuery('un de')).toEqual({ all: [[w(['un'])], [w(['de'])]], none: [] });
  });

  it('makes a word that folds to several into a phrase', () => {
    expect(parseQuery("l'électricité")).toEqual({ all: [[w(['l', 'electricite'], true)]], none: [] });
  });

  it('does not let OR after an exclusion join the previous group', () => {
    expect(parseQuery('x -a OR bbb')).toEqual({ all: [[w(['x'])], [w(['bbb'], true)]], none: [w(['a'])] });
  });

  it('keeps only folded words from hostile input', () => {
    const q = parseQuery('title:foo NEAR(a b) ^x {meta}:pub "unterminated \u0000 (x) * : " AND OR NOT');
    const all = q.all.flat().flatMap((t) => t.words);
    expect(all).toEqual(['title', 'foo', 'near', 'a', 'b', 'x', 'meta', 'pub', 'unterminated', 'x']);
    expect(isEmpty(parseQuery('*** ::: () - -- NOT'))).toBe(true);
    expect(isEmpty(parseQuery('" "'))).toBe(true);
  });

  it('bounds the query: characters and terms', () => {
    const many = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ');
    expect(parseQuery(many).all.length).toBe(TERMS_MAX);
    expect(parseQuery('a'.repeat(QUERY_MAX * 2)).all[0]![0]!.words[0]!.length).toBeLessThanOrEqual(64);
  });
});

describe('compilation', () => {
  it('quotes every term for FTS5', () => {
    expect(toFts5(parseQuery('"power line" gaz OR gas -coupure elec'))).toEqual({
      positive: '"power line" AND ("gaz" OR "gas") AND "elec" *',
      negative: '"coupure"',
    });
  });

  it('builds a tsquery with phrases and prefixes', () => {
    expect(toTsQuery(parseQuery('"power line" gaz OR gas -coupure elec'))).toEqual({
      positive: "(('power' <-> 'line')) & (('gaz') | ('gas')) & (('elec':*))",
      negative: "('coupure')",
    });
  });
});

describe('snippet', () => {
  it('marks matched words, prefixes and phrases in the original text', () => {
    const q = parseQuery('"power line" électricite Ստեփան');
    const s = snippet(['The power line to Ստեփանակերտ lost electricité.'], positiveTerms(q))!;
    expect(s.highlights.map(([a, b]) => s.text.slice(a, b))).toEqual(['power line', 'Ստեփանակերտ', 'electricité']);
  });

  it('cuts a window around the first match, at word boundaries', () => {
    const text = `${'lorem ipsum '.repeat(60)}blockade ${'dolor sit '.repeat(60)}`;
    const s = snippet([text], positiveTerms(parseQuery('blockade')))!;
    expect(s.text.startsWith('… ')).toBe(true);
    expect(s.text.endsWith(' …')).toBe(true);
    expect(s.text.length).toBeLessThan(220);
    expect(s.highlights.map(([a, b]) => s.text.slice(a, b))).toEqual(['blockade']);
  });

  it('falls back to the first text without highlights, or null', () => {
    expect(snippet(['', 'Summary here.'], positiveTerms(parseQuery('nothing')))).toEqual({
      text: 'Summary here.',
      highlights: [],
    });
    expect(snippet([null, ''], [])).toBeNull();
  });
});
