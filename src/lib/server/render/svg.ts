/** Small pieces shared by every server-made SVG: escaping, the accessible wrapper, number formatting. */

export type RenderLang = 'en' | 'fr' | 'hy' | 'ru';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an SVG/XML text node or attribute value. Control characters XML forbids are dropped. */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** Numbers as the reader's language writes them (1 234 in French and Russian, 1,234 in English). */
export function formatNumber(n: number, lang: RenderLang, maximumFractionDigits = 0): string {
  return new Intl.NumberFormat(lang, { maximumFractionDigits }).format(n);
}

export interface SvgFrame {
  /** Short name of the figure: the SVG's `<title>`, read first by screen readers. */
  title: string;
  /** What the figure shows, in words: the `<desc>`, and the text alternative a page can print beside it. */
  desc: string;
  width: number;
  height: number;
  lang: RenderLang;
}

let counter = 0;

/** An id prefix unique in this process, for figures inlined together in one page. */
export function nextFigureId(): string {
  counter += 1;
  return `fig${counter}`;
}

/**
 * An accessible standalone SVG: `role="img"` labelled by its title and described by its desc, with ids unique in a
 * page that inlines several figures. `idPrefix` makes the output deterministic (tests, content hashes).
 */
export function svgDocument(frame: SvgFrame, body: string, idPrefix?: string): string {
  const id = idPrefix ?? nextFigureId();
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${frame.width} ${frame.height}" width="${frame.width}" ` +
    `height="${frame.height}" role="img" aria-labelledby="${id}-t ${id}-d" lang="${frame.lang}" ` +
    `font-family="DejaVu Sans, sans-serif">` +
    `<title id="${id}-t">${escapeXml(frame.title)}</title><desc id="${id}-d">${escapeXml(frame.desc)}</desc>` +
    body +
    '</svg>'
  );
}

/** A figure as the edition keeps it: the SVG, and the same information as plain text for whoever cannot see it. */
export interface Figure {
  svg: string;
  title: string;
  /** The text alternative: every value the figure shows, in sentences. */
  text: string;
}
