/**
 * Server-side rendering shared by every module that draws or prints: charts and the region map as accessible SVG,
 * share cards (PNG/SVG), Typst PDFs, and the fonts they all use. No database, no HTTP: pure functions of their input.
 */
export { renderShortfallChart, renderDisruptionTimeline, renderSeriesChart } from './charts.js';
export type {
  ShortfallBar,
  ShortfallChartInput,
  DisruptionTimelineInput,
  TimelineInterval,
  SeriesChartInput,
} from './charts.js';
export { renderStaticMap, SOUTH_CAUCASUS, type MapArea, type MapPoint, type StaticMapInput } from './map.js';
export {
  renderShareCard,
  CARD_KINDS,
  CARD_WIDTH,
  CARD_HEIGHT,
  type CardKind,
  type ShareCard,
  type ShareCardInput,
} from './card.js';
export { compilePdf, typstText, typstString, TypstError } from './typst.js';
export { fontDir, fontPaths, fontData, FONT_FAMILY } from './fonts.js';
export { escapeXml, formatNumber, type Figure, type RenderLang } from './svg.js';
