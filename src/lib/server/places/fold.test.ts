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

  it('spells out the Armenian ligature ech-yiwn, so both spellings of Yerevan meet', () => {
    expect(searchKey('Երևան')).toBe('երեւան');
    expect(searchKey('Երեւան')).toBe('երեւան');
  });

  it('separates words by exactly one space and drops punctuation, including LIKE wildcards', () => {
    expect(searchKey('  Goris – Stepanakert   highway ')).toBe('goris stepanakert highway');
    expect(searchKey("Saint-Étienne's 100%_site\\x")).toBe('saint etienne s 100 site x');
    expect(searchKey('—')).toBe('');
  });
});
