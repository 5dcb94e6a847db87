import { z } from '@hono/zod-openapi';

export const HIGHLIGHT_LOCALES = ['en', 'fr', 'hy', 'ru'] as const;

const LocalizedSchema = z.object({
  en: z.string().min(1),
  fr: z.string().min(1),
  hy: z.string().min(1),
  ru: z.string().min(1),
});
export type Localized = z.infer<typeof LocalizedSchema>;

export const HighlightSourceSchema = z
  .object({
    kind: z.enum(['report', 'press-release']),
    title: z.string().min(1),
    publisher: z.string().min(1).openapi({ description: 'Author or publisher, as the document names itself' }),
    place: z.string().nullable().openapi({ description: 'Dateline city, for press releases' }),
    date: z.iso.date(),
    citation: z.string().min(1).openapi({ description: 'Ready-made attribution line' }),
  })
  .openapi('HighlightSource');

/**
 * A portal highlight: one attributed claim from a source document, in every portal language. The text always
 * names its source ("According to …"); Corridor does not assert it.
 */
export const HighlightSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    text: LocalizedSchema,
    figure: z
      .object({
        value: z.number(),
        qualifier: z.enum(['exact', 'more-than', 'about']),
        label: LocalizedSchema,
      })
      .nullable(),
    asOf: z.iso.date().openapi({ description: 'The date the claim refers to' }),
    source: HighlightSourceSchema,
  })
  .openapi('Highlight');
export type Highlight = z.infer<typeof HighlightSchema>;

export const HighlightListSchema = z.array(HighlightSchema);

export const HighlightPageSchema = z.object({ items: HighlightListSchema }).openapi('HighlightList');

/**
 * How the public reaches the press desk. Only what the operator configured (`CORRIDOR_PRESS_EMAIL`), never an
 * account's address; null when nothing is configured, so the About page can say so instead of inventing one.
 */
export const PressContactSchema = z
  .object({
    email: z.email().nullable().openapi({ example: 'press@corridor.example.org' }),
  })
  .openapi('PressContact');
export type PressContact = z.infer<typeof PressContactSchema>;
