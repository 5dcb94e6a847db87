import en from '../../../../messages/reports/en.json';
import fr from '../../../../messages/reports/fr.json';
import hy from '../../../../messages/reports/hy.json';
import ru from '../../../../messages/reports/ru.json';
import type { EditionLang } from './schema.js';

/**
 * The edition's own wording in its language, from the same message files as the pages (`messages/reports/`), so
 * that a heading reads the same on the web and in the PDF and a translation is made once. Read here directly rather
 * than through Paraglide: an edition is built for its language, not the reader's, and the CLI builds without the web.
 */
export type WordKey = Exclude<keyof typeof en, '$schema'>;

const FILES: Record<EditionLang, Record<string, string>> = { en, fr, hy, ru };

export function word(lang: EditionLang, key: WordKey, params: Record<string, string | number> = {}): string {
  const text = FILES[lang][key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (all, name: string) => (name in params ? String(params[name]) : all));
}

export type Words = (key: WordKey, params?: Record<string, string | number>) => string;

export const wordsFor =
  (lang: EditionLang): Words =>
  (key, params) =>
    word(lang, key, params);
