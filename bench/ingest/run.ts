/**
 * Ingest benchmark (issue 4): N generated camera-size JPEGs (default 200, 4000 × 3000 with EXIF and GPS) go through
 * the real vault path: streamed and hashed into the content-addressed store, type and pixel checks, metadata read,
 * rows and custody written, then the durable job makes the three derivative sizes (JPEG and WebP each) and the
 * perceptual hash. The same files are also made into the same six sizes and formats with plain sharp calls (one
 * resize and encode per output, no hashing, metadata, phash, database or job), in the same run, and the ratio is
 * printed. Not a test: it prints figures and asserts nothing.
 *
 *   npm run bench:ingest [-- --images 200 --width 4000 --height 3000 --runs 1 --keep]
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { createLogger } from '../../src/lib/server/core/logger.js';
import { DERIVATIVE_FORMATS, DERIVATIVE_SIZES } from '../../src/lib/server/evidence/index.js';
import { createPlatform } from '../../src/lib/server/platform.js';

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '200' },
    width: { type: 'string', default: '4000' },
    height: { type: 'string', default: '3000' },
    runs: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});
const RUNS = Math.max(1, Number(values.runs) || 1);
const N = Math.max(1, Number(values.images) || 200);
const W = Number(values.width) || 4000;
const H = Number(values.height) || 3000;

const dir = await mkdtemp(path.join(tmpdir(), 'corridor-bench-ingest-'));
const files: string[] = [];
const seconds = (t0: number) => (performance.now() - t0) / 1000;

/** A photo-like picture: smooth gradients, shapes and grain, so that JPEG sizes look like a camera's (MBs). */
async function generate(i: number): Promise<Buffer> {
  const hue = (i * 37) % 360;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><defs>` +
    `<linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},60%,35%)"/>` +
    `<stop offset="1" stop-color="hsl(${(hue + 120) % 360},55%,70%)"/></linearGradient></defs>` +
    `<rect width="100%" height="100%" fill="url(#g)"/>` +
    Array.from({ length: 12 }, (_, k) => {
      const x = ((i * 131 + k * 977) % W) | 0;
      const y = ((i * 71 + k * 409) % H) | 0;
      return `<circle cx="${x}" cy="${y}" r="${H / (6 + k)}" fill="hsl(${(hue + k * 29) % 360},70%,${30 + k * 4}%)" opacity="0.7"/>`;
    }).join('') +
    `</svg>`;
  const noise = await sharp({
    create: {
      width: W / 2,
      height: H / 2,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 18 },
    },
  })
    .resize(W, H, { kernel: 'nearest' })
    .raw()
    .toBuffer();
  return sharp(Buffer.from(svg))
    .composite([{ input: noise, raw: { width: W, height: H, channels: 3 }, blend: 'overlay' }])
    .jpeg({ quality: 88 })
    .withExif({
      IFD0: { Make: 'BenchCam', Model: `B${i % 7}` },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '39/1 30/1 40/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '46/1 20/1 20/1',
      },
    })
    .toBuffer();
}

/**
 * Drawing and encoding a 12-megapixel picture takes seconds on a small machine, so a few are drawn and each file is
 * made distinct by a comment segment of its own spliced in after the JPEG's start marker: every file has its own
 * bytes and SHA-256 and is decoded in full, as a camera's would be.
 */
const BASES = Math.min(N, 8);
const t0 = performance.now();
let bytes = 0;
const bases: Buffer[] = [];
for (let i = 0; i < BASES; i++) bases.push(await generate(i));
for (let i = 0; i < N; i++) {
  const base = bases[i % BASES]!;
  const text = Buffer.from(`corridor bench image ${i}`);
  const com = Buffer.concat([Buffer.from([0xff, 0xfe, 0, text.length + 2]), text]);
  const b = Buffer.concat([base.subarray(0, 2), com, base.subarray(2)]);
  const file = path.join(dir, `img-${String(i).padStart(4, '0')}.jpg`);
  bytes += b.length;
  await writeFile(file, b);
  files.push(file);
}
console.log(
  `generated ${N} JPEGs of ${W} × ${H} (${BASES} pictures; ${(bytes / N / 1e6).toFixed(1)} MB on average) in ` +
    `${seconds(t0).toFixed(1)} s; ` +
    `${availableParallelism()} CPUs, sharp concurrency ${sharp.concurrency()}`,
);

/** Plain sharp: each output on its own, straight from the file. */
async function raw(): Promise<number> {
  const t = performance.now();
  for (const file of files)
    for (const size of Object.values(DERIVATIVE_SIZES))
      for (const format of DERIVATIVE_FORMATS) {
        const img = sharp(file)
          .autoOrient()
          .resize({ width: size, height: size, fit: 'inside', withoutEnlargement: true });
        await (format === 'jpeg' ? img.jpeg({ quality: 82 }) : img.webp({ quality: 78, effort: 2 })).toBuffer();
      }
  return seconds(t);
}

/** The vault: ingest (hash, checks, metadata, rows, custody) then the derivative job (six files and the phash). */
async function vault(): Promise<{ s: number; ingest: number; jobs: number }> {
  const platform = await createPlatform({
    database: { kind: 'sqlite', file: path.join(dir, `vault-${Date.now()}.db`) },
    secret: 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
    logger: createLogger('silent'),
    dataDir: path.join(dir, `data-${Date.now()}`),
    runJobs: false,
  });
  try {
    const t = performance.now();
    let ingest = 0;
    let jobs = 0;
    for (const [i, file] of files.entries()) {
      const a = performance.now();
      await platform.evidence.ingest(null, {
        body: createReadStream(file, { highWaterMark: 1024 * 1024 }),
        filename: `img-${i}.jpg`,
        method: 'import',
        tool: 'bench',
      });
      const b = performance.now();
      await platform.jobs.drain();
      jobs += performance.now() - b;
      ingest += b - a;
    }
    const s = seconds(t);
    const counts = await platform.jobs.counts();
    if ((counts.done ?? 0) !== files.length) throw new Error(`jobs: ${JSON.stringify(counts)}`);
    return { s, ingest: ingest / 1000, jobs: jobs / 1000 };
  } finally {
    await platform.close();
  }
}

// Warm libvips once; with --runs above 1 the two paths alternate, so that neither gets a cooler machine.
await sharp(files[0]).resize(64).jpeg().toBuffer();
const rawRuns: number[] = [];
const vaultRuns: { s: number; ingest: number; jobs: number }[] = [];
for (let run = 0; run < RUNS; run++) {
  rawRuns.push(await raw());
  vaultRuns.push(await vault());
}
const rawS = Math.min(...rawRuns);
const best = vaultRuns.reduce((a, b) => (b.s < a.s ? b : a));
const rawRate = N / rawS;
const vaultRate = N / best.s;
console.log(
  `plain sharp (6 outputs per image):  ${rawRate.toFixed(2)} images/s  (best of ${rawRuns.map((s) => s.toFixed(1)).join(' / ')} s)`,
);
console.log(
  `vault ingest + derivatives + phash:  ${vaultRate.toFixed(2)} images/s  (best of ${vaultRuns.map((v) => v.s.toFixed(1)).join(' / ')} s; ` +
    `ingest ${best.ingest.toFixed(1)} s, derivative jobs ${best.jobs.toFixed(1)} s)`,
);
console.log(`ratio: ${((vaultRate / rawRate) * 100).toFixed(0)} % of plain sharp (goal: 70 %)`);

if (!values.keep) await rm(dir, { recursive: true, force: true });
else console.log(`kept ${dir}`);
