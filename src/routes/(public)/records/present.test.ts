import { describe, expect, it } from 'vitest';
import { groupLabel, originalLang, partialDate, shown, verificationHelp, verificationLabel, when } from './present';

describe('portal record wording', () => {
  it('shows the reader’s language, else the original, marked as a fallback with its language', () => {
    const titles = { en: 'Gas cut', fr: 'Gaz coupé' };
    expect(shown(titles, 'en', 'fr')).toEqual({ text: 'Gaz coupé', lang: 'fr', fallback: false });
    expect(shown(titles, 'en', 'hy')).toEqual({ text: 'Gas cut', lang: 'en', fallback: true });
    // The original wins over the first language in the list, even when that one comes earlier.
    expect(shown(titles, 'fr', 'ru')).toEqual({ text: 'Gaz coupé', lang: 'fr', fallback: true });
    // An original that is missing (or empty) falls to the first language there is.
    expect(shown({ ru: 'Газ', hy: '' }, 'hy', 'en')).toEqual({ text: 'Газ', lang: 'ru', fallback: true });
    expect(shown({}, null, 'en')).toBeNull();
  });

  it('takes the variant marked original as the record’s language, else the first one', () => {
    expect(originalLang({ en: { translationStatus: 'translated' }, hy: { translationStatus: 'original' } })).toBe('hy');
    expect(originalLang({ fr: { translationStatus: 'translated' }, ru: { translationStatus: 'needs-review' } })).toBe(
      'fr',
    );
    expect(originalLang({})).toBeNull();
  });

  it('writes a date as precisely as it is known', () => {
    expect(partialDate('2023-01-30', 'day', 'en')).toBe('January 30, 2023');
    expect(partialDate('2022-12', 'month', 'fr')).toBe('décembre 2022');
    expect(partialDate('2023', 'year', 'ru')).toBe('2023');
    expect(partialDate('2022-12', 'approximate', 'en')).toBe('about December 2022');
  });

  it('names the register’s values, and gives any other value back as it is', () => {
    expect(verificationLabel('corroborated')).toBe('Corroborated');
    expect(verificationHelp('verified')).not.toBe('');
    expect(groupLabel('olderPersons')).toBe('Older persons');
    // Names are looked up among their own keys only, never on Object's prototype.
    for (const v of ['constructor', 'toString', '__proto__', 'a-new-status']) {
      expect(verificationLabel(v)).toBe(v);
      expect(groupLabel(v)).toBe(v);
      expect(verificationHelp(v)).toBe('');
    }
  });

  it('says when: one date, a period, or since a date and still going on', () => {
    const base = { startPrecision: 'day' as const, endPrecision: 'day' as const };
    expect(when({ ...base, startDate: null, ongoing: false })).toBe('Date not known');
    expect(when({ ...base, startDate: '2023-01-30', ongoing: false })).toBe('January 30, 2023');
    expect(when({ ...base, startDate: '2022-12-12', ongoing: true })).toBe('Since December 12, 2022, ongoing');
    expect(when({ ...base, startDate: '2022-12-12', endDate: '2023-01-30', ongoing: false })).toBe(
      'From December 12, 2022 to January 30, 2023',
    );
  });
});
