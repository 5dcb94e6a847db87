import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * How the built app is started: the one place to change if the entry point moves. `corridor serve` is what
 * operators run (it adds compression around the adapter-node handler), so the tests measure the same thing.
 */
const START_COMMAND = [process.execPath, path.join(ROOT, 'bin/corridor.js'), 'serve'];

export interface TestServer {
  /** e.g. http://127.0.0.1:41234 — also the site's ORIGIN, so CSRF checks pass. */
  origin: string;
  /** The one-time first-admin setup token printed on first start. */
  setupToken: string;
  /** Its data directory (SQLite database, keys, files), for a CLI command run beside it. */
  dataDir: string;
  /** Everything the server printed, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Starts the production build on a free port with a fresh data directory, and waits until it answers. */
export async function startServer(opts: { demo?: boolean } = {}): Promise<TestServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'corridor-e2e-'));
  const [command, ...args] = START_COMMAND as [string, ...string[]];
  const child: ChildProcess = spawn(command, opts.demo ? [...args, '--demo'] : args, {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      ORIGIN: origin,
      CORRIDOR_PUBLIC_URL: origin,
      CORRIDOR_DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    // The demo creates accounts, so no setup link is printed; loading it (pictures included) takes a while.
    const setupToken = opts.demo
      ? ''
      : await waitFor(
          () => /\/en\/setup\/([A-Za-z0-9_-]+)/.exec(output)?.[1],
          () => child.exitCode !== null,
          'the setup link on stdout',
          () => output,
        );
    await waitFor(
      async () =>
        (await fetch(`${origin}/api/health`)
          .then((r) => r.ok)
          .catch(() => false)) || undefined,
      () => child.exitCode !== null,
      'GET /api/health',
      () => output,
      opts.demo ? 90_000 : 30_000,
    );
    return { origin, setupToken, dataDir, output: () => output, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  died: () => boolean,
  what: string,
  output: () => string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    if (died()) throw new Error(`server exited while waiting for ${what}:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}:\n${output()}`);
}
