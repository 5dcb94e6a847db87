import { searchKey } from '../places/index.js';

/**
 * A spelling-tolerant key for a name written in Latin, Armenian or Cyrillic letters, so that `Петросян`,
 * `Պետրոսյան`, `Petrosyan` and `Petrossian` all meet. The PII guard compares these keys word by word; it is
 * deliberately forgiving (a false alarm costs a reviewer a look, a miss can cost a life).
 */

const ARMENIAN: Record<string, string> = {
  ա: 'a',
  բ: 'b',
  գ: 'g',
  դ: 'd',
  ե: 'e',
  զ: 'z',
  է: 'e',
  ը: 'e',
  թ: 't',
  ժ: 'zh',
  ի: 'i',
  լ: 'l',
  խ: 'kh',
  ծ: 'ts',
  կ: 'k',
  հ: 'h',
  ձ: 'dz',
  ղ: 'gh',
  ճ: 'ch',
  մ: 'm',
  յ: 'y',
  ն: 'n',
  շ: 'sh',
  ո: 'o',
  չ: 'ch',
  պ: 'p',
  ջ: 'j',
  ռ: 'r',
  ս: 's',
  վ: 'v',
  տ: 't',
  ր: 'r',
  ց: 'ts',
  ւ: 'v',
  փ: 'p',
  ք: 'k',
  օ: 'o',
  ֆ: 'f',
};

const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'sh',
  ъ: '',
  ы: 'i',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  і: 'i',
  ї: 'i',
  є: 'e',
  ў: 'u',
};

/** One folded word (see `searchKey`) in Latin letters. */
function toLatin(word: string): string {
  // Word-initial Armenian ո and ե are said "vo" and "ye" (Ոսկան = Voskan, Երեվան = Yerevan); ու is "u".
  const w = word.replace(/^ո/, 'վո').replace(/^ե/, 'յե').replace(/ու/g, 'u');
  let out = '';
  for (const ch of w) out += ARMENIAN[ch] ?? CYRILLIC[ch] ?? ch;
  return out;
}

/** Common romanisation differences folded away (English, French and Russian habits for the same sounds). */
function simplify(latin: string): string {
  return latin
    .replace(/tch/g, 'ch')
    .replace(/dj|dzh/g, 'j')
    .replace(/zh/g, 'j')
    .replace(/ph/g, 'f')
    .replace(/ou/g, 'u')
    .replace(/w/g, 'v')
    .replace(/ck|q|c(?=[aoukr]|$)/g, 'k')
    .replace(/c(?=[eiy])/g, 's')
    .replace(/kh/g, 'x')
    .replace(/^ye/, 'e')
    .replace(/[yj](?=[aeiou])/g, 'i')
    .replace(/y/g, 'i')
    .replace(/ii+/g, 'i')
    .replace(/(.)\1+/g, '$1');
}

export function nameKey(word: string): string {
  return simplify(toLatin(word));
}

/** The words of a text with their offsets in the original string, each with its folded and its name key. */
export function words(text: string): { start: number; end: number; folded: string; key: string }[] {
  const out: { start: number; end: number; folded: string; key: string }[] = [];
  for (const m of text.matchAll(/[\p{L}\p{M}\p{N}]+/gu)) {
    const folded = searchKey(m[0]);
    if (folded === '') continue;
    // A folded word can hold a space (a letter NFKD splits into letter + mark + letter): keep it one token.
    const f = folded.replace(/ /g, '');
    out.push({ start: m.index, end: m.index + m[0].length, folded: f, key: nameKey(f) });
  }
  return out;
}
