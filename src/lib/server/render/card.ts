import { Resvg } from '@resvg/resvg-js';
import satori from 'satori';
import { FONT_FAMILY, fontData } from './fonts.js';
import type { RenderLang } from './svg.js';

/**
 * Share cards: 1200×630 images for social networks and OpenGraph, with one live figure ("Day 100", "63 days
 * without gas"). satori lays the text out with DejaVu Sans (Armenian, Cyrillic, Latin) and draws every glyph as a
 * path, so the SVG needs no font where it is opened; resvg turns it into a PNG. About 50 ms a card once warm.
 */

export const CARD_KINDS = ['day', 'disruption', 'indicator', 'figure'] as const;
export type CardKind = (typeof CARD_KINDS)[number];

export interface ShareCardInput {
  kind: CardKind;
  lang: RenderLang;
  /** The figure itself, already formatted ("100", "63", "×50"). */
  figure: string;
  /** What the figure counts ("days of blockade", "days without gas"). */
  label: string;
  /** A line above the figure (the crisis or report name). */
  eyebrow?: string;
  /** Small print at the bottom: as-of date and source. */
  footer?: string;
  format: 'png' | 'svg';
}

export interface ShareCard {
  body: Buffer;
  contentType: 'image/png' | 'image/svg+xml';
  width: number;
  height: number;
}

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;

/** An accent per kind, each with at least 4.5:1 contrast for white text on it. */
const ACCENT: Record<CardKind, string> = {
  day: '#1d3557',
  disruption: '#8b1e1e',
  indicator: '#5b3a00',
  figure: '#2f4f2f',
};

type Node = { type: string; props: Record<string, unknown> };
const el = (type: string, style: Record<string, unknown>, children?: (Node | string)[] | string): Node => ({
  type,
  props: { style, children },
});

export async function renderShareCard(input: ShareCardInput): Promise<ShareCard> {
  const figureSize = input.figure.length > 8 ? 120 : 200;
  const tree = el(
    'div',
    {
      width: '100%',
      height: '100%',
      display: 'flex',
      flexDirection: 'column',
      justifyContent: 'space-between',
      padding: '56px 72px',
      backgroundColor: ACCENT[input.kind],
      color: '#ffffff',
      fontFamily: FONT_FAMILY,
    },
    [
      el('div', { display: 'flex', fontSize: 34, opacity: 0.9 }, input.eyebrow ?? ''),
      el('div', { display: 'flex', flexDirection: 'column' }, [
        el('div', { display: 'flex', fontSize: figureSize, fontWeight: 700, lineHeight: 1 }, input.figure),
        el('div', { display: 'flex', fontSize: 52, marginTop: 16, lineHeight: 1.2 }, input.label),
      ]),
      el('div', { display: 'flex', fontSize: 26, opacity: 0.85 }, input.footer ?? ''),
    ],
  );
  const svg = await satori(tree as never, {
    width: CARD_WIDTH,
    height: CARD_HEIGHT,
    fonts: [
      { name: FONT_FAMILY, data: fontData('regular'), weight: 400, style: 'normal' },
      { name: FONT_FAMILY, data: fontData('bold'), weight: 700, style: 'normal' },
    ],
  });
  if (input.format === 'svg')
    return { body: Buffer.from(svg), contentType: 'image/svg+xml', width: CARD_WIDTH, height: CARD_HEIGHT };
  const png = new Resvg(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false } }).render().asPng();
  return { body: png, contentType: 'image/png', width: CARD_WIDTH, height: CARD_HEIGHT };
}
