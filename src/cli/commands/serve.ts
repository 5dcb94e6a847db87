import { existsSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import compression from 'compression';
import type { Logger } from '../../lib/server/core/logger.js';
import type { RunOptions, Values } from '../command.js';
import { createContext, withPlatform } from '../context.js';
import { CliError } from '../errors.js';
import { buildHandlerUrl } from '../paths.js';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/** adapter-node caps request bodies at 512K by default; resumable upload chunks need more. */
const DEFAULT_BODY_SIZE_LIMIT = '10M';
const SHUTDOWN_GRACE_MS = 10_000;

export async function serve(values: Values, opts: RunOptions = {}): Promise<number> {
  // A server logs to stdout, like the web runtime it hosts.
  const ctx = createContext(1);
  const { config, logger } = ctx;
  if (!existsSync(fileURLToPath(buildHandlerUrl)))
    throw new CliError('no production build found (build/handler.js): run npm run build first');

  let demoAccounts: string | undefined;
  if (values.demo === true) {
    const { loadDemo, formatDemoAccounts } = await import('../../lib/server/demo/index.js');
    demoAccounts = formatDemoAccounts(await withPlatform(ctx, (p) => loadDemo(p)));
  }

  const localUrl = `http://localhost:${config.port}`;
  // adapter-node reads these when its handler module loads, so they must be set before the import.
  process.env.ORIGIN ??= config.publicUrl ? new URL(config.publicUrl).origin : localUrl;
  process.env.BODY_SIZE_LIMIT ??= DEFAULT_BODY_SIZE_LIMIT;
  await opts.releaseTypeScriptLoader?.();
  // Importing the handler runs SvelteKit's init hook: the web platform opens its database and migrates.
  const { handler } = (await import(buildHandlerUrl.href)) as { handler: Middleware };

  // Rendered HTML and API JSON are compressed here; adapter-node serves hashed assets precompressed and
  // immutable, and compression leaves responses that already carry a Content-Encoding alone.
  const compress = compression({
    threshold: 1024,
    brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } },
  }) as unknown as Middleware;
  const https = (process.env.ORIGIN ?? '').startsWith('https:');
  const server = http.createServer((req, res) => {
    baseHeaders(res, https);
    compress(req, res, (err) => {
      if (err) {
        logger.error({ err }, 'compression failed');
        res.statusCode = 500;
        res.end();
        return;
      }
      handler(req, res, () => {
        res.statusCode = 404;
        res.end('Not found');
      });
    });
  });

  await listen(server, config.port, config.host);
  const url = config.publicUrl ?? localUrl;
  logger.info(
    { coldStartMs: Math.round(performance.now()), host: config.host, port: config.port, db: config.database.kind },
    'listening',
  );
  console.log(`\n  Corridor is running at ${url}\n`);
  if (demoAccounts) console.log(demoAccounts + '\n');
  return untilShutdown(server, logger);
}

/**
 * Defaults for every response, static files included (adapter-node serves those without SvelteKit's hooks). Pages and
 * the API set their own, and a header they set replaces the default. Static files that are not content-hashed
 * (favicon, the service worker and its registration script) are revalidated rather than guessed fresh, so a new
 * release reaches readers on their next visit; hashed ones get adapter-node's one-year immutable cache.
 */
function baseHeaders(res: ServerResponse, https: boolean) {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'strict-origin-when-cross-origin');
  res.setHeader('cache-control', 'no-cache');
  if (https) res.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE')
        reject(new CliError(`port ${port} is already in use on ${host}: set PORT to a free one`));
      else if (err.code === 'EACCES')
        reject(new CliError(`not allowed to listen on ${host}:${port}: set PORT above 1023`));
      else reject(err);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Stops taking connections on SIGINT/SIGTERM, lets requests in flight finish, then exits; a second signal forces. */
function untilShutdown(server: http.Server, logger: Logger): Promise<number> {
  return new Promise(() => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal }, 'shutting down');
      const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      force.unref();
      server.close(() => {
        clearTimeout(force);
        logger.info('stopped');
        // The web platform's database pool lives inside the build and would keep the process alive.
        process.exit(0);
      });
      server.closeIdleConnections();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
