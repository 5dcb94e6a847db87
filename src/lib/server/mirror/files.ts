import { createHash } from 'node:crypto';
import path from 'node:path';

/**
 * Where a crawled address lands in the mirror, and how one mirror file points at another. Pure: the crawler decides
 * what to fetch, this decides names.
 */

const EXTENSIONS: Record<string, string> = {
  'text/html': 'html',
  'text/css': 'css',
  'text/javascript': 'js',
  'application/javascript': 'js',
  'application/json': 'json',
  'application/geo+json': 'geojson',
  'application/ld+json': 'jsonld',
  'application/manifest+json': 'webmanifest',
  'application/pdf': 'pdf',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'application/zip': 'zip',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/gif': 'gif',
  'image/svg+xml': 'svg',
  'image/x-icon': 'ico',
  'image/vnd.microsoft.icon': 'ico',
  'font/woff2': 'woff2',
  'font/woff': 'woff',
  'font/ttf': 'ttf',
  'font/otf': 'otf',
};
/** Extensions a static host maps to the same type, so a name that already ends in one is kept as it is. */
const SAME_TYPE: Record<string, string[]> = { jpg: ['jpg', 'jpeg'], js: ['js', 'mjs'], json: ['json', 'map'] };

export function mediaType(contentType: string | null): string {
  return (contentType ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
}

export function isHtml(contentType: string | null): boolean {
  return mediaType(contentType) === 'text/html';
}

export function extensionFor(contentType: string | null): string {
  return EXTENSIONS[mediaType(contentType)] ?? 'bin';
}

const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);

/** A path segment as a file name: decoded, with nothing that could climb out of the mirror or confuse a host. */
function safeSegment(segment: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    decoded = segment;
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must not reach a file name
  const cleaned = decoded.replace(/[\u0000-\u001f\\/:*?"<>|]/g, '_');
  if (cleaned === '' || cleaned === '.' || cleaned === '..') return `_${shortHash(segment)}`;
  return cleaned;
}

/** A query string as a readable and unique file-name part: `?page=2&tag=gas` → `page-2_tag-gas-1a2b3c4d`. */
function querySlug(search: string): string {
  const readable = search
    .replace(/^\?/, '')
    .replace(/=/g, '-')
    .replace(/&/g, '_')
    .replace(/[^A-Za-z0-9._-]+/g, '')
    .slice(0, 40);
  return `${readable}${readable ? '-' : ''}${shortHash(search)}`;
}

/**
 * The mirror file of an address, relative to the mirror's root, with forward slashes:
 * a page `/en/records` → `en/records/index.html`, `/en/records?page=2` → `en/records/q-page-2-….html`;
 * anything else keeps its name when its extension matches its type (`/_app/immutable/x.css`) and gains one when
 * not (`/api/public/editions/e1/pdf` → `api/public/editions/e1/pdf.pdf`).
 */
export function fileFor(pathname: string, search: string, contentType: string | null): string {
  const segments = pathname.split('/').filter(Boolean).map(safeSegment);
  if (isHtml(contentType)) {
    const dir = segments.join('/');
    const name = search ? `q-${querySlug(search)}.html` : 'index.html';
    return dir ? `${dir}/${name}` : name;
  }
  const ext = extensionFor(contentType);
  let last = segments.pop() ?? 'index';
  const current = path.posix.extname(last).slice(1).toLowerCase();
  const keeps = current !== '' && (current === ext || (SAME_TYPE[ext] ?? []).includes(current));
  if (search) {
    const stem = keeps ? last.slice(0, -(current.length + 1)) : last;
    last = `${stem}--${querySlug(search)}.${keeps ? current : ext}`;
  } else if (!keeps) last = `${last}.${ext}`;
  return [...segments, last].join('/');
}

/** Makes a file name unique among those already taken, keeping its extension. */
export function uniqueFile(file: string, taken: Set<string>, key: string): string {
  if (!taken.has(file)) return file;
  const ext = path.posix.extname(file);
  return `${file.slice(0, file.length - ext.length)}-${shortHash(key)}${ext}`;
}

/** Each path segment percent-encoded again, as an href wants it; the slashes stay. */
export function encodePath(file: string): string {
  return file
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

export interface LinkStyle {
  /** Absolute root of the mirror (`https://mirror.example.org/corridor/`); relative links when absent. */
  baseUrl?: string;
  /** Links from root-relative addresses (`/en/index.html`): the 404 page, which hosts serve at any depth. */
  rootRelative?: boolean;
}

/**
 * How the file `from` points at the file `to`. Relative links name `index.html`, so that the mirror also works
 * opened from a disk (file://) and on hosts that do not redirect `/en` to `/en/`; under a base URL pages are
 * directories (`https://…/en/records/`).
 */
export function linkBetween(from: string, to: string, style: LinkStyle): string {
  if (style.baseUrl) {
    const pretty = to === 'index.html' ? '' : to.endsWith('/index.html') ? to.slice(0, -'index.html'.length) : to;
    return new URL(encodePath(pretty), style.baseUrl).href;
  }
  if (style.rootRelative) return `/${encodePath(to)}`;
  const relative = path.posix.relative(path.posix.dirname(from), to);
  return encodePath(relative || path.posix.basename(to));
}

/** `https://x.org/mirror` → `https://x.org/mirror/`: a base URL is a directory. */
export function normalizeBaseUrl(value: string): string {
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('the base URL must be http or https');
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}
