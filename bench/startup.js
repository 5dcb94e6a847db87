#!/usr/bin/env node
// Startup benchmark: how long `corridor serve` takes to answer, and how much memory it holds when idle, next to
// baselines measured in the same run on the same machine. Not a test: it prints numbers and asserts nothing.
//
//   npm run bench:startup [-- --runs 5]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Math.max(1, Number(values.runs) || 3);
const IDLE_MS = 2000;
const TIMEOUT_MS = 30_000;

if (!existsSync(path.join(root, 'build', 'handler.js'))) {
  console.log('No production build yet: running npm run build first.');
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function rssMb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Polls until the URL answers 200; returns ms since `since`. */
async function firstOk(url, since, child) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode} before answering ${url}`);
    if (performance.now() - since > TIMEOUT_MS) throw new Error(`no 200 from ${url} within ${TIMEOUT_MS} ms`);
    try {
      const res = await fetch(url, { redirect: 'manual' });
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - since;
    } catch {
      // not listening yet
    }
    await sleep(10);
  }
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** One cold start: spawn, time to first 200 on each path in turn, then RSS after idling. */
async function measure(name, args, paths, extraEnv = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'corridor-bench-'));
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    CORRIDOR_DATA_DIR: dataDir,
    DATABASE_URL: '',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  delete env.CORRIDOR_PUBLIC_URL;
  delete env.ORIGIN;
  const since = performance.now();
  const child = spawn(process.execPath, args, { cwd: dataDir, env, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    const times = {};
    for (const p of paths) times[p] = await firstOk(`http://127.0.0.1:${port}${p}`, since, child);
    await sleep(IDLE_MS);
    return { name, times, rss: rssMb(child.pid) };
  } finally {
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};

async function repeat(name, args, paths, env) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await measure(name, args, paths, env));
  const times = {};
  for (const p of paths) times[p] = median(results.map((r) => r.times[p]));
  return { name, times, rss: median(results.map((r) => r.rss)) };
}

const bare = `require('node:http').createServer((q, s) => s.end('ok')).listen(+process.env.PORT, process.env.HOST)`;
const subjects = [
  await repeat('bare node:http server', ['-e', bare], ['/']),
  await repeat('adapter-node build/index.js', [path.join(root, 'build', 'index.js')], ['/api/health', '/en'], {
    ORIGIN: 'http://127.0.0.1',
  }),
  await repeat('corridor serve', [path.join(root, 'bin', 'corridor.js'), 'serve'], ['/api/health', '/en']),
];

const [baseline, adapter, corridor] = subjects;
const fmt = (ms) => `${Math.round(ms)} ms`;
console.log(`\nStartup, median of ${runs} run(s) on ${process.platform}/${process.arch}, Node ${process.version}:`);
console.log('  server                          first 200 (health)   first 200 (/en)   idle RSS');
for (const s of subjects) {
  const health = s.times['/api/health'] ?? s.times['/'];
  const en = s.times['/en'];
  console.log(
    `  ${s.name.padEnd(31)} ${fmt(health).padStart(18)} ${(en === undefined ? '-' : fmt(en)).padStart(17)} ${`${s.rss.toFixed(1)} MB`.padStart(10)}`,
  );
}
const ratio = (a, b) => `${(a / b).toFixed(1)}×`;
console.log('\nRatios:');
console.log(
  `  corridor serve vs bare node   : startup ${ratio(corridor.times['/api/health'], baseline.times['/'])}, RSS ${ratio(corridor.rss, baseline.rss)}`,
);
console.log(
  `  corridor serve vs adapter-node: startup ${ratio(corridor.times['/api/health'], adapter.times['/api/health'])}, RSS ${ratio(corridor.rss, adapter.rss)}`,
);
