#!/usr/bin/env node
// `npm test`: every unit and integration test (on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set), then
// the browser tests when Chromium is installed. Whatever could not run is named loudly at the end, so that a green
// run on a laptop is never mistaken for a full one. Exits non-zero if any part failed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const pgUrl = process.env.TEST_DATABASE_URL;
const requireBrowser = process.env.CORRIDOR_REQUIRE_BROWSER === '1';
const reports = mkdtempSync(path.join(tmpdir(), 'corridor-test-'));

/** @type {string[]} */
const failures = [];
/** @type {string[]} */
const notRun = [];
const totals = { passed: 0, failed: 0, skipped: 0 };

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: process.env });
    child.once('error', (err) => {
      console.error(`could not start ${command}: ${err.message}`);
      resolve(1);
    });
    child.once('exit', (code, signal) => resolve(signal ? 1 : (code ?? 1)));
  });
}

/** Runs one npm script with a JSON report next to the usual output; adds its counts to the totals. */
async function vitest(label, script) {
  const report = path.join(reports, `${script.replace(/\W/g, '-')}.json`);
  console.log(`\n▶ ${label}\n`);
  const code = await run('npm', [
    'run',
    '--silent',
    script,
    '--',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]);
  let failedTests = 0;
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += r.numPassedTests ?? 0;
    failedTests = r.numFailedTests ?? 0;
    totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  }
  // A failed build or a broken beforeAll fails no single test, yet must still count as a failure.
  totals.failed += code !== 0 ? Math.max(failedTests, 1) : failedTests;
  if (code !== 0) failures.push(`${label} failed (exit code ${code})`);
}

/** Says up front, in one line, when the configured PostgreSQL cannot be reached; the tests then fail on it too. */
async function checkPostgres(url) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

function hasTests(dir) {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith('.test.ts'));
}

function box(title, lines) {
  const width = Math.max(title.length, ...lines.map((l) => l.length)) + 4;
  const color = process.stdout.isTTY ? (s) => `\x1b[1;33m${s}\x1b[0m` : (s) => s;
  const row = (s) => color(`║  ${s.padEnd(width - 2)}║`);
  console.log(color(`╔${'═'.repeat(width)}╗`));
  console.log(row(title));
  for (const l of lines) console.log(row(l));
  console.log(color(`╚${'═'.repeat(width)}╝`));
}

const started = performance.now();

if (pgUrl) {
  const problem = await checkPostgres(pgUrl);
  if (problem) failures.push(`PostgreSQL at TEST_DATABASE_URL is unreachable (${problem}): its tests fail`);
} else {
  notRun.push(
    'PostgreSQL tests not run: set TEST_DATABASE_URL=postgres://… (e.g. postgres://postgres@127.0.0.1:5432/test)',
  );
}

await vitest(
  pgUrl ? 'Unit and integration tests (SQLite and PostgreSQL)' : 'Unit and integration tests (SQLite)',
  'test:unit',
);

const chromium = existsSync(CHROMIUM);
if (!chromium && requireBrowser) {
  failures.push(
    `Browser tests required (CORRIDOR_REQUIRE_BROWSER=1) but ${CHROMIUM} is missing: apt-get install chromium`,
  );
} else if (!chromium) {
  notRun.push('Browser tests not run: apt-get install chromium (or set CORRIDOR_REQUIRE_BROWSER=1 to make this fail)');
} else if (!hasTests(path.join(root, 'tests', 'e2e'))) {
  notRun.push('Browser tests not run: there are none in tests/e2e yet');
} else {
  await vitest('Browser tests (build, then Chromium)', 'test:e2e');
}

rmSync(reports, { recursive: true, force: true });
const seconds = ((performance.now() - started) / 1000).toFixed(0);
console.log('');
if (notRun.length > 0) box('NOT RUN: this was not a full test run', notRun);
if (failures.length > 0) box('FAILED', failures);
console.log(`\nIn ${seconds} s:`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length > 0 ? 1 : 0);
