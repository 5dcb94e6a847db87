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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CORRIDOR_PRESS_EMAIL: PressEmailSchema,
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  secret: string;
  publicUrl: string | undefined;
  masterKey: string | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
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
