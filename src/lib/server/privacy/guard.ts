import { words } from './translit.js';

/**
 * The PII guard: finds what must never reach a public text. It works on the texts about to be published and on
 * the decrypted identities of the protected persons linked to the item, and it never returns the text it matched,
 * only where it is: its findings go into error messages and logs, which are surfaces too.
 */

export const FINDING_KINDS = ['real-name', 'name-part', 'address', 'phone', 'email', 'id-number'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface GuardText {
  /** Which text: e.g. `title.fr`, `narrative.hy`, `caption.en`. */
  field: string;
  text: string;
}

/** What the guard knows of a protected person: decrypted, held only for the check. */
export interface ProtectedIdentity {
  personId: string;
  pseudonym: string;
  names: string[];
  addresses: string[];
}

export interface Finding {
  kind: FindingKind;
  field: string;
  start: number;
  end: number;
  /** The protected person concerned (for names and addresses), by id and pseudonym. */
  personId?: string;
  pseudonym?: string;
}

/** Shorter name parts ("Li") would match too much ordinary text to be useful. */
const MIN_PART = 3;
/** An inflected form may add a short ending: `Петросяна`, `Petrosyanner`… but not a different word. */
const MAX_ENDING = 3;

interface NamePart {
  key: string;
  folded: string;
}

function nameParts(name: string): NamePart[] {
  return words(name)
    .filter((w) => w.folded.length >= MIN_PART && !/^\d+$/.test(w.folded))
    .map((w) => ({ key: w.key, folded: w.folded }));
}

function wordMatches(part: NamePart, word: { key: string; folded: string }): boolean {
  if (word.key === part.key || word.folded === part.folded) return true;
  return part.key.length >= 4 && word.key.startsWith(part.key) && word.key.length - part.key.length <= MAX_ENDING;
}

function findNames(t: GuardText, person: ProtectedIdentity, out: Finding[]): void {
  const ws = words(t.text);
  const seen = new Set<number>();
  for (const name of person.names) {
    const parts = nameParts(name);
    if (parts.length === 0) continue;
    // The whole name, its parts in order with nothing between them.
    for (let i = 0; parts.length > 1 && i + parts.length <= ws.length; i++) {
      const run = ws.slice(i, i + parts.length);
      const first = run[0];
      const last = run[run.length - 1];
      if (seen.has(i)) continue;
      if (first && last && parts.every((p, j) => run[j] !== undefined && wordMatches(p, run[j]))) {
        out.push({ kind: 'real-name', field: t.field, start: first.start, end: last.end, ...who(person) });
        for (let j = 0; j < parts.length; j++) seen.add(i + j);
      }
    }
    ws.forEach((w, i) => {
      if (seen.has(i)) return;
      if (parts.some((p) => wordMatches(p, w))) {
        seen.add(i);
        out.push({
          kind: parts.length === 1 ? 'real-name' : 'name-part',
          field: t.field,
          start: w.start,
          end: w.end,
          ...who(person),
        });
      }
    });
  }
}

/** Street-type words vary between writers ("street", "St.", "ул."), so they are left out of the comparison. */
const STREET_WORDS = new Set(
  [
    'street',
    'str',
    'road',
    'avenue',
    'ave',
    'lane',
    'square',
    'boulevard',
    'blvd',
    'apt',
    'apartment',
    'flat',
    'house',
    'building',
    'rue',
    'avenue',
    'allee',
    'impasse',
    'place',
    'chemin',
    'batiment',
    'appartement',
    'улица',
    'ул',
    'проспект',
    'пр',
    'переулок',
    'пер',
    'дом',
    'кв',
    'квартира',
    'шоссе',
    'площадь',
    'փողոց',
    'փող',
    'պողոտա',
    'պող',
    'նրբանցք',
    'նրբ',
    'շենք',
    'բնակարան',
    'բն',
    'տուն',
    'հրապարակ',
  ].map((w) =>
    w
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase(),
  ),
);

/**
 * An address counts as exact when a part of it names a street and a number ("12 Tumanyan street"); the text shows
 * it when every word of that part appears within a few words of each other, in any order ("Tumanyan St. 12").
 */
function findAddresses(t: GuardText, person: ProtectedIdentity, out: Finding[]): void {
  const ws = words(t.text);
  for (const address of person.addresses) {
    for (const component of address.split(/[,;\n]+/)) {
      const cws = words(component);
      const numbers = cws.filter((w) => /\d/.test(w.folded)).map((w) => w.folded);
      const names = cws
        .filter((w) => !/\d/.test(w.folded) && w.folded.length >= MIN_PART && !STREET_WORDS.has(w.folded))
        .map((w) => w.key);
      if (numbers.length === 0 || names.length === 0) continue;
      const need = [...numbers.map((n) => `#${n}`), ...names];
      const window = need.length + 3;
      const token = (w: { folded: string; key: string }) => (/\d/.test(w.folded) ? `#${w.folded}` : w.key);
      for (let i = 0; i < ws.length; i++) {
        const start = ws[i];
        if (!start || !need.includes(token(start))) continue;
        const slice = ws.slice(i, i + window);
        const have = new Set(slice.flatMap((w) => [`#${w.folded}`, w.key]));
        if (!need.every((n) => have.has(n))) continue;
        const end = slice.filter((w) => need.includes(token(w))).at(-1) ?? start;
        out.push({ kind: 'address', field: t.field, start: start.start, end: end.end, ...who(person) });
        break;
      }
    }
  }
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
/** A run of digits with the separators people type in phone numbers; at least 8 digits. */
const PHONE = /(?<![\p{L}\p{N}])\+?\(?\d[\d\s().-]{6,}\d(?![\p{L}\p{N}])/gu;
/** Thousands written with separators (`1,200,000`, `120 000`) are figures, not phone numbers. */
const GROUPED_NUMBER = /^\d{1,3}(?:([ ,.\u00a0\u202f])\d{3})(?:\1\d{3})*$/;
/** Dates: `2022-12-12`, `12.03.2023`, `12/03/2023`. */
const DATE = /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$/;
/** Passport-style numbers: two letters and 6–8 digits (Armenian, Russian foreign, many others). */
const PASSPORT = /(?<![\p{L}\p{N}])\p{Lu}{2}\s?\d{6,8}(?![\p{L}\p{N}])/gu;
/** A long bare run of digits (national ID, social card, Russian passport series and number). */
const ID_DIGITS = /(?<![\p{L}\p{N}])\d{9,12}(?![\p{L}\p{N}])/gu;

function findPatterns(t: GuardText, out: Finding[]): void {
  const taken: [number, number][] = [];
  const overlaps = (s: number, e: number) => taken.some(([a, b]) => s < b && e > a);
  for (const m of t.text.matchAll(EMAIL)) {
    out.push({ kind: 'email', field: t.field, start: m.index, end: m.index + m[0].length });
    taken.push([m.index, m.index + m[0].length]);
  }
  for (const m of t.text.matchAll(PASSPORT)) {
    out.push({ kind: 'id-number', field: t.field, start: m.index, end: m.index + m[0].length });
    taken.push([m.index, m.index + m[0].length]);
  }
  for (const m of t.text.matchAll(PHONE)) {
    const raw = m[0].trim();
    const digits = raw.replace(/\D/g, '');
    const start = m.index;
    const end = m.index + m[0].length;
    if (overlaps(start, end) || digits.length < 8 || digits.length > 15) continue;
    const international = raw.startsWith('+') || raw.startsWith('(') || raw.startsWith('0');
    if (!international && (GROUPED_NUMBER.test(raw) || DATE.test(raw))) continue;
    // A bare run of 9–12 digits is reported as an ID number below.
    if (/^\d+$/.test(raw) && !raw.startsWith('0')) continue;
    out.push({ kind: 'phone', field: t.field, start, end });
    taken.push([start, end]);
  }
  for (const m of t.text.matchAll(ID_DIGITS)) {
    if (overlaps(m.index, m.index + m[0].length)) continue;
    out.push({ kind: 'id-number', field: t.field, start: m.index, end: m.index + m[0].length });
  }
}

const who = (p: ProtectedIdentity) => ({ personId: p.personId, pseudonym: p.pseudonym });

export function scan(texts: GuardText[], persons: ProtectedIdentity[]): Finding[] {
  const out: Finding[] = [];
  for (const t of texts) {
    if (t.text.trim() === '') continue;
    for (const p of persons) {
      findNames(t, p, out);
      findAddresses(t, p, out);
    }
    findPatterns(t, out);
  }
  // Two spellings of one name can match the same words: report each place once.
  const unique = new Map(out.map((f) => [`${f.field}|${f.kind}|${f.start}|${f.end}|${f.personId ?? ''}`, f]));
  return [...unique.values()].sort((a, b) => a.field.localeCompare(b.field) || a.start - b.start);
}

/** Whether a pseudonym gives away the real name it stands for (then it is no pseudonym). */
export function pseudonymRevealsName(pseudonym: string, names: string[]): boolean {
  const ps = words(pseudonym);
  return names.some((n) => nameParts(n).some((part) => ps.some((w) => wordMatches(part, w))));
}

/** One line per finding, naming the kind and the place but never the matched text. */
export function describe(f: Finding): string {
  const where = `${f.field}, characters ${f.start + 1}–${f.end}`;
  switch (f.kind) {
    case 'real-name':
      return `${where}: the real name of the protected person ${f.pseudonym}`;
    case 'name-part':
      return `${where}: part of the real name of the protected person ${f.pseudonym}`;
    case 'address':
      return `${where}: the street address of the protected person ${f.pseudonym}`;
    case 'phone':
      return `${where}: a phone number`;
    case 'email':
      return `${where}: an e-mail address`;
    case 'id-number':
      return `${where}: an ID or passport number`;
  }
}
