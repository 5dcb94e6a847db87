import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Every message file set named in the inlang settings must give the same keys, with the same {placeholders}, in all
// four languages: a key missing in one language would show the English fallback without saying so.
const settings = JSON.parse(readFileSync('project.inlang/settings.json', 'utf8')) as {
  locales: string[];
  'plugin.inlang.messageFormat': { pathPattern: string | string[] };
};
const patterns = [settings['plugin.inlang.messageFormat'].pathPattern].flat();

/**
 * A plain message is its text; a message with variants (plurals: the inlang format's `[{ declarations, selectors,
 * match }]`) is the text of all its variants together, since each language has its own plural categories.
 */
function load(file: string): Record<string, string> {
  const { $schema: _schema, ...messages } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(messages)) {
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value) && value.every((v: { match?: unknown }) => v.match && typeof v.match === 'object'))
      out[key] = value.flatMap((v: { match: Record<string, string> }) => Object.values(v.match)).join(' ');
    else throw new Error(`${file}: ${key} is neither a plain message nor one with variants`);
  }
  return out;
}

// Each placeholder once: the variants of a plural repeat theirs, in as many variants as the language has.
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

describe('message files', () => {
  it('lists the four portal languages', () => {
    expect(settings.locales.sort()).toEqual(['en', 'fr', 'hy', 'ru']);
  });

  for (const pattern of patterns) {
    it(`${pattern}: same keys and placeholders in every language, none empty`, () => {
      const sets = settings.locales.map((locale) => ({
        locale,
        messages: load(pattern.replace('{locale}', locale)),
      }));
      const base = sets.find((set) => set.locale === 'en')!;
      for (const other of sets) {
        expect(Object.keys(other.messages).sort(), `${other.locale} keys`).toEqual(Object.keys(base.messages).sort());
        for (const [key, text] of Object.entries(base.messages)) {
          const translated = other.messages[key] ?? '';
          expect(translated.trim(), `${other.locale}.${key}`).not.toBe('');
          expect(placeholders(translated), `${other.locale}.${key}`).toEqual(placeholders(text));
        }
      }
    });
  }

  it('keys are unique across the file sets', () => {
    const seen = new Map<string, string>();
    for (const pattern of patterns)
      for (const key of Object.keys(load(pattern.replace('{locale}', 'en')))) {
        expect(seen.get(key), `${key} is in ${seen.get(key)} and ${pattern}`).toBeUndefined();
        seen.set(key, pattern);
      }
  });
});
