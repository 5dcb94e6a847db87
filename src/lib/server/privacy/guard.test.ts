import { describe, expect, it } from 'vitest';
import { describe as describeFinding, pseudonymRevealsName, scan, type ProtectedIdentity } from './guard.js';
import { nameKey } from './translit.js';

const anahit: ProtectedIdentity = {
  personId: 'person-anahit',
  pseudonym: 'Lilit M.',
  names: ['Anahit Petrosyan'],
  addresses: ['Tumanyan street 12, apt. 5, Stepanakert'],
};

const kinds = (text: string, persons = [anahit]) => scan([{ field: 'narrative.en', text }], persons).map((f) => f.kind);

describe('name keys', () => {
  it('meet across scripts and romanisations', () => {
    const key = nameKey('petrosyan');
    for (const spelling of ['petrossian', 'петросян', 'պետրոսյան', 'petrosian']) expect(nameKey(spelling)).toBe(key);
    expect(nameKey('երեվան')).toBe(nameKey('yerevan'));
    expect(nameKey('ереван')).toBe(nameKey('yerevan'));
    expect(nameKey('khachatryan')).toBe(nameKey('хачатрян'));
    expect(nameKey('petrosyan')).not.toBe(nameKey('petrov'));
  });
});

describe('PII guard', () => {
  it('finds the real name in any script, case and accent, and inflected', () => {
    expect(kinds('We spoke to Anahit Petrosyan in March.')).toEqual(['real-name']);
    expect(kinds('ANAHİT PETROSSIAN a témoigné.')).toEqual(['real-name']);
    expect(kinds('Մեզ հետ խոսեց Անահիտ Պետրոսյանը։')).toEqual(['real-name']);
    expect(kinds('Мы говорили с Петросяном.')).toEqual(['name-part']);
    expect(kinds('Petrosyan said the road was closed.')).toEqual(['name-part']);
  });

  it('gives where, never what: no finding or message holds the matched text', () => {
    const text = 'We met Anahit Petrosyan at 12 Tumanyan St., phone +374 91 234567, anahit@example.org.';
    const findings = scan([{ field: 'narrative.en', text }], [anahit]);
    // The e-mail's local part is the first name: reported as such too.
    expect(findings.map((f) => f.kind).sort()).toEqual(['address', 'email', 'name-part', 'phone', 'real-name']);
    const name = findings.find((f) => f.kind === 'real-name')!;
    expect(text.slice(name.start, name.end)).toBe('Anahit Petrosyan');
    const said = JSON.stringify(findings) + findings.map(describeFinding).join('\n');
    for (const secret of ['Anahit', 'Petrosyan', 'Tumanyan', '234567', 'example.org'])
      expect(said).not.toContain(secret);
    expect(said).toContain('Lilit M.');
  });

  it('finds an exact address of the person in any order, but not the street alone', () => {
    expect(kinds('She lives at 12 Tumanyan street.')).toEqual(['address']);
    expect(kinds('Her flat is on Tumanyan St. 12, near the school.')).toEqual(['address']);
    expect(kinds('Shelling hit Tumanyan street on Tuesday.')).toEqual([]);
  });

  it('finds phone numbers, e-mail addresses and ID or passport numbers', () => {
    expect(kinds('Call +374 91 234567')).toEqual(['phone']);
    expect(kinds('Call 091 23 45 67 or (010) 52-36-98')).toEqual(['phone', 'phone']);
    expect(kinds('Write to someone@mail.am')).toEqual(['email']);
    expect(kinds('Passport AN1234567, card AB 7654321')).toEqual(['id-number', 'id-number']);
    expect(kinds('Social card 1234567890')).toEqual(['id-number']);
  });

  it('leaves figures, dates and the pseudonym alone', () => {
    expect(
      kinds(
        'Lilit M. (a pseudonym) said 120,000 people and 30 000 children were cut off from 2022-12-12 to 12.03.2023; ' +
          'day 100 was 21 March 2023, and 1 200 000 m³ of gas did not arrive.',
      ),
    ).toEqual([]);
  });

  it('tells when a pseudonym gives the real name away', () => {
    expect(pseudonymRevealsName('Anahit P.', ['Anahit Petrosyan'])).toBe(true);
    expect(pseudonymRevealsName('Ани Петросян', ['Anahit Petrosyan'])).toBe(true);
    expect(pseudonymRevealsName('Lilit M.', ['Anahit Petrosyan'])).toBe(false);
  });
});
