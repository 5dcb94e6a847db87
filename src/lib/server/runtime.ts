import { loadConfig, type Config } from './core/config.js';
import { createLogger, type Logger } from './core/logger.js';
import { createPlatform, databaseTarget, masterKeySource, type Platform } from './platform.js';

/**
 * The web process's single platform, created on first use (SvelteKit's init hook) and shared by every request.
 * The CLI builds its own platform for one-shot commands; it never shares objects with this one.
 */
let current: Promise<{ platform: Platform; config: Config; logger: Logger }> | undefined;

export function getRuntime() {
  current ??= start().catch((err: unknown) => {
    current = undefined;
    throw err;
  });
  return current;
}

async function start() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const platform = await createPlatform({
    database: databaseTarget(config),
    secret: config.secret,
    logger,
    publicUrl: config.publicUrl,
    dataDir: config.dataDir,
    masterKeys: masterKeySource(config),
    storage: config.storage,
  });
  logger.info({ db: platform.database.dialect.name }, 'platform ready');
  const origin = config.publicUrl ?? `http://localhost:${config.port}`;
  const setup = await platform.accounts.issueSetupLinkIfEmpty();
  if (setup) {
    const url = `${origin}/en/setup/${setup.token}`;
    logger.warn(
      { expiresAt: setup.expiresAt },
      'no accounts yet: open the one-time setup link to create the first admin',
    );
    console.log(
      `\n  First start: create the first admin at\n  ${url}\n  (valid until ${setup.expiresAt}; or use: npx corridor user add --email … --role admin --password-stdin)\n`,
    );
  }
  return { platform, config, logger };
}
