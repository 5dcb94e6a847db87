import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The press desk's address, shown on the public About page. A desk address, not a person's: it is published as is.
 * Empty counts as unset, so `CORRIDOR_PRESS_EMAIL=` in a .env file means "not configured".
 */
const PressEmailSchema = z
  .union([z.literal(''), z.email()])
  .optional()
  .transform((v) => v || undefined);

/** Empty counts as unset (`CORRIDOR_S3_ENDPOINT=` in a .env file). */
const unsetIfEmpty = z
  .string()
  .optional()
  .transform((v) => v?.trim() || undefined);

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  CORRIDOR_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .refine((v) => v === '' || /^(postgres|postgresql|sqlite|file):/.test(v), {
      message: 'must start with postgres://, sqlite: or file:',
    })
    .optional(),
  CORRIDOR_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  CORRIDOR_PUBLIC_URL: z.url().optional(),
  /** Master keys for protected identities, base64, current first, comma-separated; else master.key in the data dir. */
  CORRIDOR_MASTER_KEY: z.string().min(1).optional(),
  /** Where files are kept: the data directory (disk), or an S3-compatible bucket (s3, with the CORRIDOR_S3_* below). */
  CORRIDOR_STORAGE: z.enum(['disk', 's3']).default('disk'),
  CORRIDOR_S3_ENDPOINT: unsetIfEmpty.pipe(z.url().optional()),
  CORRIDOR_S3_REGION: unsetIfEmpty,
  CORRIDOR_S3_BUCKET: unsetIfEmpty.pipe(
    z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
        'must be a bucket name (3–63 lower-case letters, digits, dots, dashes)',
      )
      .optional(),
  ),
  CORRIDOR_S3_ACCESS_KEY_ID: unsetIfEmpty,
  CORRIDOR_S3_SECRET_ACCESS_KEY: unsetIfEmpty,
  CORRIDOR_S3_FORCE_PATH_STYLE: unsetIfEmpty.pipe(z.enum(['true', 'false', '1', '0']).optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Optional online raster tiles for the public map, `https://…/{z}/{x}/{y}.png`; the map works offline without. */
  CORRIDOR_TILE_URL: z
    .union([
      z.literal(''),
      z.url({ protocol: /^https?$/ }).refine((u) => u.includes('{z}'), 'must contain {z}, {x}, {y}'),
    ])
    .optional()
    .transform((v) => v || undefined),
  CORRIDOR_PRESS_EMAIL: PressEmailSchema,
});

/** An S3-compatible bucket. The secret key is never logged nor shown in an error. */
export interface S3Settings {
  /** Left out for AWS itself; the server's URL for any other S3-compatible store. */
  endpoint: string | undefined;
  region: string;
  bucket: string;
  /** Both or neither: without them the SDK's own chain applies (environment, instance role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** `bucket` in the path rather than the host name (most self-hosted stores); the default when an endpoint is set. */
  forcePathStyle: boolean;
}

export type StorageSettings = { kind: 'disk' } | { kind: 's3'; s3: S3Settings };

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  secret: string;
  publicUrl: string | undefined;
  masterKey: string | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  tileUrl: string | undefined;
  storage: StorageSettings;
  pressEmail: string | undefined;
};

export class ConfigError extends Error {}

/**
 * Reads and validates the environment. The secret is generated into the data dir on first use so that a fresh
 * install works without setup, yet survives restarts (sessions and encrypted fields depend on it).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const storage = storageSettings(e);
  const dataDir = path.resolve(e.CORRIDOR_DATA_DIR);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  let database: Config['database'];
  const url = e.DATABASE_URL ?? '';
  if (url.startsWith('postgres')) database = { kind: 'postgres', url };
  else if (url.startsWith('sqlite:') || url.startsWith('file:'))
    database = { kind: 'sqlite', file: path.resolve(url.replace(/^(sqlite|file):(\/\/)?/, '')) };
  else database = { kind: 'sqlite', file: path.join(dataDir, 'corridor.db') };

  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database,
    secret: e.CORRIDOR_SECRET ?? readOrCreateSecret(dataDir),
    publicUrl: e.CORRIDOR_PUBLIC_URL,
    masterKey: e.CORRIDOR_MASTER_KEY,
    logLevel: e.LOG_LEVEL,
    tileUrl: e.CORRIDOR_TILE_URL,
    storage,
    pressEmail: e.CORRIDOR_PRESS_EMAIL,
  };
}

/**
 * The press desk's address alone, without the side effects of `loadConfig` (data directory, secret): the portal reads
 * it when asked, so a changed environment needs no new platform. Invalid is treated as unset here; `loadConfig`
 * already refused it at start.
 */
export function pressEmailFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const parsed = PressEmailSchema.safeParse(env.CORRIDOR_PRESS_EMAIL);
  return parsed.success ? parsed.data : undefined;
}

/** S3 needs a bucket and a region, and keys come in pairs: a missing one stops the start, naming the variable. */
function storageSettings(e: z.infer<typeof EnvSchema>): StorageSettings {
  if (e.CORRIDOR_STORAGE === 'disk') return { kind: 'disk' };
  const missing: string[] = [];
  if (!e.CORRIDOR_S3_BUCKET) missing.push('CORRIDOR_S3_BUCKET');
  if (!e.CORRIDOR_S3_REGION) missing.push('CORRIDOR_S3_REGION');
  if (!e.CORRIDOR_S3_ACCESS_KEY_ID !== !e.CORRIDOR_S3_SECRET_ACCESS_KEY)
    missing.push(e.CORRIDOR_S3_ACCESS_KEY_ID ? 'CORRIDOR_S3_SECRET_ACCESS_KEY' : 'CORRIDOR_S3_ACCESS_KEY_ID');
  if (missing.length)
    throw new ConfigError(
      `Invalid configuration:\n${missing.map((v) => `  ${v}: required when CORRIDOR_STORAGE=s3`).join('\n')}`,
    );
  const pathStyle = e.CORRIDOR_S3_FORCE_PATH_STYLE;
  return {
    kind: 's3',
    s3: {
      endpoint: e.CORRIDOR_S3_ENDPOINT,
      region: e.CORRIDOR_S3_REGION!,
      bucket: e.CORRIDOR_S3_BUCKET!,
      credentials:
        e.CORRIDOR_S3_ACCESS_KEY_ID && e.CORRIDOR_S3_SECRET_ACCESS_KEY
          ? { accessKeyId: e.CORRIDOR_S3_ACCESS_KEY_ID, secretAccessKey: e.CORRIDOR_S3_SECRET_ACCESS_KEY }
          : undefined,
      forcePathStyle: pathStyle === undefined ? e.CORRIDOR_S3_ENDPOINT !== undefined : /^(true|1)$/.test(pathStyle),
    },
  };
}

function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) {
    const s = readFileSync(file, 'utf8').trim();
    if (s.length >= 32) return s;
    throw new ConfigError(`${file} is shorter than 32 characters; restore it from backup or set CORRIDOR_SECRET`);
  }
  const s = randomBytes(32).toString('base64url');
  writeFileSync(file, s + '\n', { mode: 0o600, flag: 'wx' });
  return s;
}

/** The map's tile URL alone, read when asked (like the press address): invalid is unset, `loadConfig` refused it. */
export function tileUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const parsed = EnvSchema.shape.CORRIDOR_TILE_URL.safeParse(env.CORRIDOR_TILE_URL);
  return parsed.success ? parsed.data : undefined;
}
