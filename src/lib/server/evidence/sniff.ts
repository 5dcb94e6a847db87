/**
 * What a file is, from its first bytes, checked against what its name says. A file whose content does not match its
 * extension is refused: a script renamed .jpg must never be stored and later served as an image.
 */

export interface FileKind {
  mediaType: string;
  /** Extensions (lower case, no dot) this kind may carry. */
  extensions: readonly string[];
  image: boolean;
}

const KINDS = {
  jpeg: { mediaType: 'image/jpeg', extensions: ['jpg', 'jpeg'], image: true },
  png: { mediaType: 'image/png', extensions: ['png'], image: true },
  gif: { mediaType: 'image/gif', extensions: ['gif'], image: true },
  webp: { mediaType: 'image/webp', extensions: ['webp'], image: true },
  tiff: { mediaType: 'image/tiff', extensions: ['tif', 'tiff'], image: true },
  avif: { mediaType: 'image/avif', extensions: ['avif'], image: true },
  heic: { mediaType: 'image/heic', extensions: ['heic', 'heif'], image: false },
  pdf: { mediaType: 'application/pdf', extensions: ['pdf'], image: false },
  mp4: { mediaType: 'video/mp4', extensions: ['mp4', 'm4v', 'm4a'], image: false },
  mov: { mediaType: 'video/quicktime', extensions: ['mov'], image: false },
  webm: { mediaType: 'video/webm', extensions: ['webm', 'mkv'], image: false },
  ogg: { mediaType: 'audio/ogg', extensions: ['ogg', 'oga', 'opus'], image: false },
  mp3: { mediaType: 'audio/mpeg', extensions: ['mp3'], image: false },
  wav: { mediaType: 'audio/wav', extensions: ['wav'], image: false },
} satisfies Record<string, FileKind>;

export const ALLOWED_EXTENSIONS = new Set(Object.values(KINDS).flatMap((k) => k.extensions));

const ascii = (b: Uint8Array, at: number, s: string) =>
  b.length >= at + s.length && [...s].every((ch, i) => b[at + i] === ch.charCodeAt(0));

/** The kind the bytes say, or undefined when they are none we accept. */
export function sniff(b: Uint8Array): FileKind | undefined {
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return KINDS.jpeg;
  if (ascii(b, 0, '\x89PNG\r\n\x1a\n')) return KINDS.png;
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return KINDS.gif;
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return KINDS.webp;
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE')) return KINDS.wav;
  if (ascii(b, 0, 'II*\0') || ascii(b, 0, 'MM\0*')) return KINDS.tiff;
  if (ascii(b, 0, '%PDF-')) return KINDS.pdf;
  if (ascii(b, 0, 'OggS')) return KINDS.ogg;
  if (ascii(b, 0, 'ID3') || (b[0] === 0xff && b[1] !== undefined && (b[1] & 0xe0) === 0xe0)) return KINDS.mp3;
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return KINDS.webm;
  if (ascii(b, 4, 'ftyp')) {
    const brand = String.fromCharCode(...b.subarray(8, 12));
    if (brand === 'avif' || brand === 'avis') return KINDS.avif;
    if (['heic', 'heix', 'hevc', 'mif1', 'msf1'].includes(brand)) return KINDS.heic;
    if (brand === 'qt  ') return KINDS.mov;
    return KINDS.mp4;
  }
  return undefined;
}

export type NameProblem = 'empty' | 'path' | 'control' | 'extension' | 'too-long';

/**
 * Checks a client-given file name: no directory part (`/`, `\`, `..`, a drive), no control characters, an extension
 * we accept. Returns the problem, or the lower-case extension.
 */
export function checkFileName(name: string): { ok: true; extension: string } | { ok: false; problem: NameProblem } {
  if (name.trim() === '') return { ok: false, problem: 'empty' };
  if (name.length > 255) return { ok: false, problem: 'too-long' };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return { ok: false, problem: 'control' };
  if (/[/\\]/.test(name) || name === '.' || name.includes('..') || /^[a-zA-Z]:/.test(name))
    return { ok: false, problem: 'path' };
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (!ALLOWED_EXTENSIONS.has(extension)) return { ok: false, problem: 'extension' };
  return { ok: true, extension };
}
