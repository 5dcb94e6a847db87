/**
 * A synthetic register for the search benchmark: seeded, so that every run indexes the same text.
 *
 * Each record has about 100 words in one or two languages (en, fr, hy, ru), drawn from a Zipf vocabulary of 20,000
 * made-up words per language, plus domain words planted at set document frequencies. Those frequencies give the
 * query classes their match counts: about 20 % (broad), 2 % (mid) and 0.5 % (rare) of records.
 */

import { seeded } from '../../src/lib/server/testing/random.js';

const ALPHABETS: Record<string, { consonants: string[]; vowels: string[] }> = {
  en: { consonants: [...'bcdfghklmnprstvwz'], vowels: [...'aeiou'] },
  fr: { consonants: [...'bcdfglmnprstv'], vowels: ['a', 'e', 'i', 'o', 'u', 'é', 'è', 'ê', 'à', 'ô', 'ou', 'ai'] },
  hy: { consonants: [...'բգդզթժլխծկհձղճմյնշչպջռսվտրցփքֆ'], vowels: [...'աեէըիոու'] },
  ru: { consonants: [...'бвгджзклмнпрстфхцчшщ'], vowels: [...'аеёиоуыэюя'] },
};

export const LANGS = ['en', 'fr', 'hy', 'ru'] as const;
export type Lang = (typeof LANGS)[number];

/** Domain words and the share of records that carry each; the benchmark's query classes are built on them. */
export const PLANTED: { word: string; lang: Lang; share: number }[] = [
  { word: 'blockade', lang: 'en', share: 0.2 },
  { word: 'gaz', lang: 'fr', share: 0.08 },
  { word: 'Արցախ', lang: 'hy', share: 0.05 },
  { word: 'coupure', lang: 'fr', share: 0.03 },
  { word: 'électricité', lang: 'fr', share: 0.02 },
  { word: 'ճանապարհ', lang: 'hy', share: 0.02 },
  { word: 'réparations', lang: 'fr', share: 0.01 },
  { word: 'internet', lang: 'en', share: 0.01 },
  { word: 'Երևան', lang: 'hy', share: 0.01 },
  { word: 'отключение', lang: 'ru', share: 0.01 },
  { word: 'power line', lang: 'en', share: 0.01 },
  { word: 'Ստեփանակերտ', lang: 'hy', share: 0.005 },
];

export class Vocabulary {
  private readonly words: Record<Lang, string[]>;
  /** Cumulative Zipf weights (s = 1), shared by the four languages. */
  private readonly cdf: Float64Array;

  constructor(size = 20_000, seed = 7) {
    const r = seeded(seed);
    this.words = {} as Record<Lang, string[]>;
    for (const lang of LANGS) {
      const { consonants, vowels } = ALPHABETS[lang]!;
      const seen = new Set<string>();
      const list: string[] = [];
      while (list.length < size) {
        const syllables = 1 + Math.floor(r() * 4);
        let w = '';
        for (let i = 0; i < syllables; i++)
          w += consonants[Math.floor(r() * consonants.length)]! + vowels[Math.floor(r() * vowels.length)]!;
        if (w.length >= 3 && !seen.has(w)) {
          seen.add(w);
          list.push(w);
        }
      }
      this.words[lang] = list;
    }
    this.cdf = new Float64Array(size);
    let sum = 0;
    for (let i = 0; i < size; i++) this.cdf[i] = sum += 1 / (i + 1);
    for (let i = 0; i < size; i++) this.cdf[i]! /= sum;
  }

  /** The word of the given Zipf rank (0 is the most frequent). */
  word(lang: Lang, rank: number): string {
    return this.words[lang][rank]!;
  }

  pick(lang: Lang, u: number): string {
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return this.words[lang][lo]!;
  }
}

export interface SyntheticRecord {
  externalId: string;
  texts: Partial<Record<Lang, { title: string; summary: string; description: string }>>;
  startDate: string;
  confidentiality: 'public' | 'internal' | 'restricted';
  verification: string;
  placeIndex: number;
  rightIndex: number;
  tags: string[];
  affectedChildren: number | null;
}

const VERIFICATION = ['reported', 'reported', 'reported', 'corroborated', 'verified', 'disputed'];
const TAGS = ['gas', 'electricity', 'internet', 'road', 'food', 'medicine', 'school', 'water'];

/** Records, one at a time: nothing is held beyond the current one. */
export function* records(count: number, vocab: Vocabulary, opts: { places: number; rights: number }, seed = 42) {
  const r = seeded(seed);
  const sentence = (lang: Lang, n: number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(vocab.pick(lang, r()));
    return out;
  };
  const start = Date.UTC(2020, 0, 1);
  const span = Date.UTC(2026, 0, 1) - start;
  for (let i = 0; i < count; i++) {
    const first = LANGS[Math.floor(r() * LANGS.length)]!;
    const langs: Lang[] = r() < 0.4 ? [first, LANGS[(LANGS.indexOf(first) + 1) % LANGS.length]!] : [first];
    const texts: SyntheticRecord['texts'] = {};
    for (const lang of langs) {
      const words = Math.round(100 / langs.length);
      texts[lang] = {
        title: sentence(lang, 6).join(' '),
        summary: sentence(lang, 14).join(' '),
        description: sentence(lang, Math.max(1, words - 20)).join(' '),
      };
    }
    // Planted words go into the description of the record's first language, whatever its script.
    const planted = PLANTED.filter((p) => r() < p.share).map((p) => p.word);
    if (planted.length > 0) texts[first]!.description += ' ' + planted.join(' ');
    const c = r();
    yield {
      externalId: `bench-${i}`,
      texts,
      startDate: new Date(start + Math.floor(r() * span)).toISOString().slice(0, 10),
      confidentiality: c < 0.7 ? 'public' : c < 0.94 ? 'internal' : 'restricted',
      verification: VERIFICATION[Math.floor(r() * VERIFICATION.length)]!,
      placeIndex: Math.floor(r() * opts.places),
      rightIndex: Math.floor(r() * opts.rights),
      tags: [TAGS[Math.floor(r() * TAGS.length)]!],
      affectedChildren: r() < 0.3 ? Math.floor(r() * 500) : null,
    } satisfies SyntheticRecord;
  }
}
