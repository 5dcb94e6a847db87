import { loadConfig, type Config } from '../lib/server/core/config.js';
import { createLogger, type Logger } from '../lib/server/core/logger.js';
import type { Platform } from '../lib/server/platform.js';

export interface CliContext {
  config: Config;
  logger: Logger;
}

export function createContext(loggerFd: 1 | 2 = 2): CliContext {
  const config = loadConfig();
  return { config, logger: createLogger(config.logLevel, loggerFd) };
}

/** A short-lived platform for one command; always closed, so that SQLite's WAL is checkpointed and pg pools end. */
export async function withPlatform<T>(
  ctx: CliContext,
  work: (platform: Platform) => Promise<T>,
  opts: { migrate?: boolean } = {},
): Promise<T> {
  // Loaded on demand: `serve` without --demo never needs the CLI's own copy of the server modules.
  const { createPlatform, databaseTarget, masterKeySource } = await import('../lib/server/platform.js');
  const platform = await createPlatform({
    database: databaseTarget(ctx.config),
    secret: ctx.config.secret,
    logger: ctx.logger,
    publicUrl: ctx.config.publicUrl,
    dataDir: ctx.config.dataDir,
    masterKeys: masterKeySource(ctx.config),
    storage: ctx.config.storage,
    migrate: opts.migrate ?? true,
  });
  try {
    return await work(platform);
  } finally {
    await platform.close();
  }
}
