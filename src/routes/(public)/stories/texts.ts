import type { StoryTexts } from '$lib/server/stories/index.js';

export const STORY_LANGS = ['en', 'fr', 'hy', 'ru'] as const;
export type StoryLang = (typeof STORY_LANGS)[number];

/** A story's text as one reader gets it: their language, or else the original, marked. */
export interface ShownText {
  title: string;
  narrative: string;
  lang: StoryLang;
  /** Not the reader's language. */
  fallback: boolean;
  /** How this variant came to be: the original, a translation, or a translation not yet reviewed. */
  translation: 'original' | 'translated' | 'needs-review';
}

/**
 * The reader's language when the story has it; otherwise its original (the variant marked original, else the first
 * there is), so that a reader never gets a translation of a translation.
 */
export function shownText(texts: StoryTexts, locale: StoryLang): ShownText {
  const pick = (lang: StoryLang, fallback: boolean): ShownText => {
    const t = texts[lang]!;
    return { title: t.title, narrative: t.narrative, lang, fallback, translation: t.translation };
  };
  if (texts[locale]) return pick(locale, false);
  const original =
    STORY_LANGS.find((l) => texts[l]?.translation === 'original') ?? STORY_LANGS.find((l) => texts[l]) ?? locale;
  return pick(original, true);
}

/** The story's first paragraph, cut at a word near `max` characters: the list shows a taste, not the whole text. */
export function excerpt(narrative: string, max = 220): string {
  const paragraphs = narrative.split(/\n\s*\n/).map((p) => p.trim());
  // The demo stories open with a line saying they are illustrative; the list keeps it, it matters.
  const first = paragraphs.find((p) => p.length > 0) ?? '';
  if (first.length <= max) return first;
  const cut = first.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 30)).trimEnd()}…`;
}
