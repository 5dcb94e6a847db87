import { describe, expect, it } from 'vitest';
import { fold, words } from './normalize.js';

describe('fold', () => {
  it('folds case and diacritics in Latin, Cyrillic and Armenian', () => {
    expect(fold('Électricité')).toBe('electricite');
    expect(fold('ОТКЛЮЧЕНИЕ Ёлки')).toBe('отключение елки');
    expect(fold('ՍՏԵՓԱՆԱԿԵՐՏ')).toBe('ստեփանակերտ');
  });

  it('makes the three spellings of Yerevan one word', () => {
    expect(new Set([fold('Երևան'), fold('Երեւան'), fold('ԵՐԵՎԱՆ'), fold('ԵՐԵՒԱՆ')])).toEqual(new Set(['երեվան']));
  });

  it('folds compatibility forms and splits on punctuation', () => {
    expect(fold('ﬁre ＡＢＣ')).toBe('fire abc');
    expect(words("l'électricité, coupée!")).toEqual(['l', 'electricite', 'coupee']);
    expect(words(' — ')).toEqual([]);
  });
});
