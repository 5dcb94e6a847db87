import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/**
 * MapLibre GL, self-hosted: its ES module build, the module worker it starts from the same directory
 * (`maplibre-gl-worker.mjs`, same origin, so `worker-src 'self'` is enough and no blob: worker is needed) and its
 * stylesheet, served from node_modules under a versioned address with immutable caching, compressed once per process.
 * Only the map page asks for them.
 */

export const LIB_FILES = {
  'maplibre-gl.mjs': 'text/javascript; charset=utf-8',
  'maplibre-gl-worker.mjs': 'text/javascript; charset=utf-8',
  'maplibre-gl.css': 'text/css; charset=utf-8',
} as const;
export type LibFile = keyof typeof LIB_FILES;

export interface LibAsset {
  type: string;
  etag: string;
  raw: Buffer;
  br: Buffer;
  gzip: Buffer;
}

const require = createRequire(import.meta.url);
let dist: string | undefined;
let version: string | undefined;

function distDir(): string {
  dist ??= path.dirname(require.resolve('maplibre-gl/dist/maplibre-gl.css'));
  return dist;
}

/** The installed MapLibre version: part of the assets' address, so an upgrade is a new URL. */
export function libVersion(): string {
  version ??= (require('maplibre-gl/package.json') as { version: string }).version;
  return version;
}

const cache = new Map<LibFile, LibAsset>();

/** Where the page loads a file from (versioned, immutable). */
export const libPath = (file: LibFile) => `/api/public/map/lib/${libVersion()}/${file}`;

export function isLibFile(file: string): file is LibFile {
  return Object.hasOwn(LIB_FILES, file);
}

export function libAsset(file: LibFile): LibAsset {
  let a = cache.get(file);
  if (!a) {
    // The source map comment would make browsers fetch a map we do not serve.
    const text = readFileSync(path.join(distDir(), file), 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
    const raw = Buffer.from(text);
    a = {
      type: LIB_FILES[file],
      etag: `"${createHash('sha256').update(raw).digest('base64url').slice(0, 22)}"`,
      raw,
      br: brotliCompressSync(raw, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
      }),
      gzip: gzipSync(raw, { level: 9 }),
    };
    cache.set(file, a);
  }
  return a;
}

/** The best encoding the client accepts: brotli, gzip, or none. */
export function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | null {
  const accepted = (acceptEncoding ?? '')
    .split(',')
    .map((p) => p.trim().split(';'))
    .filter(([, q]) => !q || !/^q=0(\.0*)?$/.test(q.trim()))
    .map(([name]) => name!.trim().toLowerCase());
  if (accepted.includes('br')) return 'br';
  if (accepted.includes('gzip')) return 'gzip';
  return null;
}
