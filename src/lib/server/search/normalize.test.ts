import { describe, expect, it } from 'vitest';
import { fold, slowFold, words } from './normalize.js';
import { seeded } from '../testing/random.js';

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

  // The fast path (a table below U+0590) must never differ from the definition.
  const POOL = [
    ...'abcxyzABCXYZ0189 \t\n.,;:!?\'"-_/()[]«»—…',
    ...'éèêëàâäôöûüçñÉÈÊÀÇŒœæÆßĳĲſǅǆİıəƏŞşĞğ',
    ...'e\u0301 a\u0300 o\u0308 u\u0302 \u0327\u0301\u0308\u0483',
    ...'абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯіїєґІЇЄҐ',
    ...'աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆևԱԲԳԴԵԶԷԸԹԺԻԼԽԾԿՀՁՂՃՄՅՆՇՈՉՊՋՌՍՎՏՐՑՒՓՔՕՖ՚՛՜՝՞։֊',
    ...'ΑΒΓΣσςΩωάέΐ',
    ...'ﬁﬂﬀﬃＡＢＣ１２３ⅫⅣ①²½™',
    '\u00a0',
    '\u2009',
    '\u3000',
    '\ufeff',
    '\u200b',
    '😀',
    '中文',
    'ǈ',
  ];

  it('gives the same as the definition on random text (Latin, Cyrillic, Armenian, Greek, marks, ligatures)', () => {
    const next = seeded(12345);
    for (let n = 0; n < 20_000; n++) {
      const len = Math.floor(next() * 24);
      let s = '';
      for (let i = 0; i < len; i++) s += POOL[Math.floor(next() * POOL.length)];
      expect(fold(s), JSON.stringify(s)).toBe(slowFold(s));
    }
  });

  it('gives the same as the definition for every character below U+0600, alone and between letters', () => {
    for (let c = 0; c < 0x600; c++) {
      const ch = String.fromCharCode(c);
      for (const s of [ch, `a${ch}b`, `Σ${ch}`, `${ch}Σ `, `ե${ch}ւ`, `ե${ch}`, ` ${ch}ւ`])
        expect(fold(s), `U+${c.toString(16)} in ${JSON.stringify(s)}`).toBe(slowFold(s));
    }
  });
});
