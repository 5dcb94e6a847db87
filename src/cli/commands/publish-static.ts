import { existsSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { RunOptions, Values } from '../command.js';
import { optionalString } from '../command.js';
import { createContext } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { buildHandlerUrl } from '../paths.js';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * `corridor publish-static DIR [--base-url URL] [--from URL]`: the public portal as static files. By default the
 * production build answers in this process, on a loopback port nobody else is told about, with the configured
 * database (a running server may use it at the same time); with --from, a running Corridor site is read over the
 * network instead, from anywhere. Either way the crawler reads it as an anonymous reader.
 */
export async function publishStatic(values: Values, opts: RunOptions = {}): Promise<number> {
  const [dir] = (values.positionals as string[] | undefined) ?? [];
  if (!dir) throw new UsageError('expected DIR');
  const { normalizeBaseUrl } = await import('../../lib/server/mirror/files.js');
  const absolute = (name: string) => {
    const value = optionalString(values, name);
    if (value === undefined) return undefined;
    try {
      return normalizeBaseUrl(value);
    } catch {
      throw new UsageError(`--${name} must be an absolute http(s) address, not "${value}"`);
    }
  };
  const baseUrl = absolute('base-url');
  const from = absolute('from');

  const { buildMirror, MirrorError } = await import('../../lib/server/mirror/crawl.js');
  const site = from
    ? { origin: new URL(from).origin, liveUrl: from, close: () => undefined }
    : await startBuiltApp(opts);
  const progress = process.stderr.isTTY ? new Progress() : undefined;
  // SvelteKit prints every 404 it renders; the crawler reports the broken links itself, once, with their referrer.
  const printError = console.error;
  console.error = (...args: unknown[]) => {
    // eslint-disable-next-line no-control-regex -- the escape that starts its red text is what identifies it
    if (typeof args[0] === 'string' && /^\n?\x1b\[1;31m\[4\d\d\] GET /.test(args[0])) return;
    printError(...args);
  };
  try {
    const result = await buildMirror({
      origin: site.origin,
      outDir: dir,
      baseUrl,
      liveUrl: site.liveUrl,
      onProgress: progress ? (p) => progress.update(p.done, p.queued) : undefined,
    });
    progress?.end();
    for (const b of result.broken)
      console.error(`corridor: warning: ${b.url} answered ${b.status} (linked from ${b.from})`);
    const locales = Object.entries(result.pagesByLocale)
      .map(([l, n]) => `${l} ${n}`)
      .join(', ');
    console.log(
      `Mirror written to ${result.outDir}: ${result.pages} pages (${locales}), ${result.files} files, ` +
        `${formatBytes(result.bytes)}, in ${(result.ms / 1000).toFixed(1)} s` +
        (result.broken.length ? `; ${result.broken.length} linked addresses missing (see the warnings)` : ''),
    );
    if (!result.sitemap) console.log('No sitemap.xml: search engines need absolute addresses, give --base-url URL.');
    return 0;
  } catch (err) {
    progress?.end();
    if (err instanceof MirrorError) throw new CliError(err.message);
    throw err;
  } finally {
    console.error = printError;
    site.close();
  }
}

/** The production build on a loopback port, with the configured database; the configured public URL is the live site. */
async function startBuiltApp(opts: RunOptions) {
  const { config } = createContext();
  if (!existsSync(fileURLToPath(buildHandlerUrl)))
    throw new CliError(
      'no production build found (build/handler.js): the mirror is crawled from the built app, run npm run build first',
    );
  const app: { handler?: Middleware } = {};
  const server = http.createServer((req, res) => {
    const handler = app.handler;
    if (!handler) {
      res.statusCode = 503;
      res.end();
      return;
    }
    handler(req, res, () => {
      res.statusCode = 404;
      res.end('Not found');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // adapter-node reads ORIGIN when its handler loads: pages then name this loopback origin, which the mirror rewrites.
  process.env.ORIGIN = origin;
  await opts.releaseTypeScriptLoader?.();
  // Importing the handler runs SvelteKit's init hook: the web platform opens the database (and migrates).
  app.handler = ((await import(buildHandlerUrl.href)) as { handler: Middleware }).handler;
  return {
    origin,
    liveUrl: config.publicUrl,
    close: () => {
      server.closeAllConnections();
      // The web platform inside the build keeps its database open: bin/corridor.js ends the process shortly after.
      server.close();
    },
  };
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** One line on stderr, rewritten in place, at most every 200 ms. */
class Progress {
  private last = 0;
  update(done: number, queued: number) {
    const now = performance.now();
    if (now - this.last < 200) return;
    this.last = now;
    process.stderr.write(`\r  crawled ${done}, ${queued} to go   `);
  }
  end() {
    process.stderr.write('\r\x1b[K');
  }
}
