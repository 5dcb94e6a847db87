import { describe, expect, it } from 'vitest';
import { seeded } from '../testing/random.js';
import { SeenIds } from './seen.js';

const ALPHABET = ['a', 'B', '7', '-', 'é', 'Ա', 'ш', '你', '😀', ' '];

describe('SeenIds', () => {
  it('answers as a Map of first lines would, over many ids in several scripts, repeats included', () => {
    const rnd = seeded(42);
    const seen = new SeenIds();
    const reference = new Map<string, number>();
    const pool: string[] = [];
    for (let line = 2; line < 120_000; line++) {
      let id: string;
      if (pool.length > 0 && rnd() < 0.2) id = pool[Math.floor(rnd() * pool.length)]!;
      else {
        const n = 1 + Math.floor(rnd() * 24);
        id = '';
        for (let i = 0; i < n; i++) id += ALPHABET[Math.floor(rnd() * ALPHABET.length)];
        pool.push(id);
      }
      const expected = reference.get(id);
      if (expected === undefined) reference.set(id, line);
      expect(seen.firstOrAdd(id, line)).toBe(expected);
    }
    expect(seen.size).toBe(reference.size);
  });

  it.each([
    ['its own hash', () => new SeenIds()],
    ['a hash under which every id collides', () => new SeenIds(() => 7)],
  ])('tells apart ids that share a prefix, differ in case or in accents, and keeps the first line (%s)', (_, make) => {
    const seen = make();
    for (let i = 0; i < 3000; i++) expect(seen.firstOrAdd(`filler-${i}`, 1000 + i)).toBeUndefined();
    const ids = ['ab', 'abc', 'xyz1', 'xyz', 'ABC', 'abé', 'abe', 'ab ', 'Ստեփանակերտ', 'Ստեփանակերտ2'];
    ids.forEach((id, i) => expect(seen.firstOrAdd(id, i + 2)).toBeUndefined());
    ids.forEach((id, i) => expect(seen.firstOrAdd(id, 100 + i)).toBe(i + 2));
    expect(seen.firstOrAdd('filler-2999', 9)).toBe(3999);
    expect(seen.size).toBe(ids.length + 3000);
  });

  it('takes ids longer than its scratch buffer', () => {
    const seen = new SeenIds();
    const long = 'x'.repeat(5000) + 'Ա'.repeat(3000);
    expect(seen.firstOrAdd(long, 7)).toBeUndefined();
    expect(seen.firstOrAdd(long.slice(0, -1), 8)).toBeUndefined();
    expect(seen.firstOrAdd(long, 9)).toBe(7);
  });
});
