import { describe, expect, it } from 'vitest';
import { searchKey } from './fold.js';

describe('searchKey', () => {
  it('folds case and diacritics in Latin, Cyrillic and Armenian scripts', () => {
    expect(searchKey('Électricité')).toBe('electricite');
    expect(searchKey('Şuşa')).toBe('susa');
    expect(searchKey('Laçın')).toBe('lacin');
    expect(searchKey('LAÇIN')).toBe('lacin');
    expect(searchKey('Xankəndi')).toBe('xankendi');
    expect(searchKey('İstanbul')).toBe('istanbul');
    expect(searchKey('СТЕПАНАКЕРТ')).toBe('степанакерт');
    expect(searchKey('Ёлка')).toBe(searchKey('елка'));
    expect(searchKey('ՍՏԵՓԱՆԱԿԵՐՏ')).toBe('ստեփանակերտ');
  });

  it('folds the ligature ech-yiwn, ech-yiwn spelt out and reformed ech-vev alike, so every spelling of Yerevan meets', () => {
    for (const name of ['Երևան', 'Երեւան', 'Երեվան', 'ԵՐԵՎԱՆ', 'ԵՐԵՒԱՆ', 'երեւան'])
      expect(searchKey(name), name).toBe('երեվան');
    expect(searchKey('Ու և եւ')).toBe('ու եվ եվ');
    // Only the pair: yiwn elsewhere stays (`իւ`), and a word break between the two letters is kept.
    expect(searchKey('Իւ')).toBe('իւ');
    expect(searchKey('ե-ւ')).toBe('ե ւ');
  });

  it('separates words by exactly one space and drops punctuation, including LIKE wildcards', () => {
    expect(searchKey('  Goris – Stepanakert   highway ')).toBe('goris stepanakert highway');
    expect(searchKey("Saint-Étienne's 100%_site\\x")).toBe('saint etienne s 100 site x');
    expect(searchKey('—')).toBe('');
  });
});
