import { createRequire } from 'node:module';
import exifr from 'exifr';
import sharp, { type OverlayOptions } from 'sharp';

// sharp-phash is CommonJS; under nodenext its default export is only reachable through require.
const require = createRequire(import.meta.url);
const phashOf = require('sharp-phash') as (input: Buffer) => Promise<string>;
const phashDistance = require('sharp-phash/distance') as (a: string, b: string) => number;

export { phashDistance };

export const DERIVATIVE_SIZES = { thumb: 320, web: 1280, large: 2048 } as const;
export type DerivativeKind = keyof typeof DERIVATIVE_SIZES;
export const DERIVATIVE_FORMATS = ['jpeg', 'webp'] as const;
export type DerivativeFormat = (typeof DERIVATIVE_FORMATS)[number];

/** A phash distance at or below this means "looks like the same picture" (re-encoded, resized, lightly edited). */
export const NEAR_DUPLICATE_DISTANCE = 8;

export interface ImageProbe {
  width: number;
  height: number;
}

/** Dimensions as displayed (EXIF orientation applied), from the header only: a bomb is never decoded. */
export async function probe(input: string | Buffer): Promise<ImageProbe> {
  const m = await sharp(input, { limitInputPixels: false }).metadata();
  const w = m.autoOrient?.width ?? m.width;
  const h = m.autoOrient?.height ?? m.height;
  if (!w || !h) throw new Error('not a readable image');
  return { width: w, height: h };
}

/** The facts the vault keeps from EXIF/XMP/IPTC: restricted, since a camera serial or GPS can identify someone. */
export interface FileMetadata {
  camera: { make: string | null; model: string | null; lens: string | null } | null;
  capturedAt: string | null;
  gps: { latitude: number; longitude: number; altitude: number | null } | null;
  software: string | null;
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export async function readMetadata(input: string | Buffer): Promise<FileMetadata> {
  let raw: Record<string, unknown> | undefined;
  try {
    raw = (await exifr.parse(input, { tiff: true, exif: true, gps: true, xmp: true, iptc: true })) as
      Record<string, unknown> | undefined;
  } catch {
    raw = undefined;
  }
  if (!raw) return { camera: null, capturedAt: null, gps: null, software: null };
  const make = str(raw.Make);
  const model = str(raw.Model);
  const lens = str(raw.LensModel);
  const when = raw.DateTimeOriginal ?? raw.CreateDate;
  const lat = num(raw.latitude);
  const lon = num(raw.longitude);
  return {
    camera: make || model || lens ? { make, model, lens } : null,
    capturedAt: when instanceof Date && !Number.isNaN(when.getTime()) ? when.toISOString() : null,
    gps: lat !== null && lon !== null ? { latitude: lat, longitude: lon, altitude: num(raw.GPSAltitude) } : null,
    software: str(raw.Software),
  };
}

export interface RenderedDerivative {
  kind: DerivativeKind;
  format: DerivativeFormat;
  bytes: Buffer;
  width: number;
  height: number;
}

/**
 * The derivatives of an image: decoded once (orientation applied, shrunk on load to the largest size), then each size
 * resized from the one above it and encoded. sharp writes no metadata unless asked: no EXIF, GPS, XMP, IPTC, ICC
 * profile or maker notes leave with these files.
 */
export async function renderDerivatives(
  input: string | Buffer,
  opts: { maxPixels: number },
): Promise<{ files: RenderedDerivative[]; phash: string }> {
  const large = await sharp(input, { limitInputPixels: opts.maxPixels, failOn: 'error' })
    .autoOrient()
    .resize({ width: DERIVATIVE_SIZES.large, height: DERIVATIVE_SIZES.large, fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const files: RenderedDerivative[] = [];
  let source = large;
  for (const kind of ['large', 'web', 'thumb'] as const) {
    const size = DERIVATIVE_SIZES[kind];
    const raw =
      kind === 'large'
        ? large
        : await sharp(source.data, { raw: source.info })
            .resize({ width: size, height: size, fit: 'inside', withoutEnlargement: true })
            .raw()
            .toBuffer({ resolveWithObject: true });
    const encode = (format: DerivativeFormat) => {
      const img = sharp(raw.data, { raw: raw.info });
      return (format === 'jpeg' ? img.jpeg({ quality: 82, mozjpeg: false }) : img.webp({ quality: 78, effort: 2 }))
        .toBuffer({ resolveWithObject: true })
        .then(({ data, info }) => ({ kind, format, bytes: data, width: info.width, height: info.height }));
    };
    files.push(...(await Promise.all(DERIVATIVE_FORMATS.map(encode))));
    source = raw;
  }
  const thumb = files.find((f) => f.kind === 'thumb' && f.format === 'jpeg')!;
  return { files, phash: await phashOf(thumb.bytes) };
}

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * A redacted copy of the original: each rectangle painted over with solid black or a coarse mosaic (blocks of a tenth
 * of the rectangle, at least 12 px: far too coarse to recover a face or a plate). Never a blur, which can be undone.
 * The result is a new file; the original is only read.
 */
export async function redact(input: string | Buffer, regions: Region[], fill: 'solid' | 'mosaic', maxPixels: number) {
  const base = await sharp(input, { limitInputPixels: maxPixels })
    .autoOrient()
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = base.info;
  const layers: OverlayOptions[] = [];
  for (const r of regions) {
    const x = Math.max(0, Math.min(width - 1, Math.floor(r.x)));
    const y = Math.max(0, Math.min(height - 1, Math.floor(r.y)));
    const w = Math.max(1, Math.min(width - x, Math.ceil(r.width)));
    const h = Math.max(1, Math.min(height - y, Math.ceil(r.height)));
    if (fill === 'solid') {
      layers.push({
        input: { create: { width: w, height: h, channels: 3, background: { r: 0, g: 0, b: 0 } } },
        left: x,
        top: y,
      });
    } else {
      const block = Math.max(12, Math.ceil(Math.max(w, h) / 10));
      const small = await sharp(base.data, { raw: base.info })
        .extract({ left: x, top: y, width: w, height: h })
        .resize(Math.max(1, Math.round(w / block)), Math.max(1, Math.round(h / block)), { kernel: 'cubic' })
        .png()
        .toBuffer();
      const mosaic = await sharp(small).resize(w, h, { kernel: 'nearest', fit: 'fill' }).png().toBuffer();
      layers.push({ input: mosaic, left: x, top: y });
    }
  }
  const out = await sharp(base.data, { raw: base.info }).composite(layers).jpeg({ quality: 92 }).toBuffer();
  return { bytes: out, width, height };
}
