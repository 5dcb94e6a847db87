import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The fonts every server-made document uses: DejaVu Sans from the npm package dejavu-fonts-ttf, which covers
 * Armenian, Cyrillic and Latin. Resolved from node_modules rather than the system, so that a machine without DejaVu
 * installed (or with another version) renders the same glyphs.
 */
const require = createRequire(import.meta.url);

let dir: string | undefined;

/** The directory holding the TTF files (absolute). */
export function fontDir(): string {
  dir ??= path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return dir;
}

export const FONT_FILES = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  boldItalic: 'DejaVuSans-BoldOblique.ttf',
} as const;
export type FontStyle = keyof typeof FONT_FILES;

/** Absolute paths of the four DejaVu Sans faces, for typst's `fontArgs: [{ fontPaths }]`. */
export function fontPaths(): string[] {
  return Object.values(FONT_FILES).map((f) => path.join(fontDir(), f));
}

/** The family name as typst and satori know it. */
export const FONT_FAMILY = 'DejaVu Sans';

const cache = new Map<FontStyle, Buffer>();

/** The bytes of one face, read once (satori and resvg take font data, not paths). */
export function fontData(style: FontStyle): Buffer {
  let data = cache.get(style);
  if (!data) {
    data = readFileSync(path.join(fontDir(), FONT_FILES[style]));
    cache.set(style, data);
  }
  return data;
}
