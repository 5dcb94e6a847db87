import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { VERSION } from '../lib/server/version.js';
import type { RunOptions } from './command.js';
import { COMMANDS } from './commands.js';
import { CliError, UsageError } from './errors.js';

export function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return [
    `corridor ${VERSION}: run and administer a Corridor server`,
    '',
    'Usage: corridor <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    `  ${'help'.padEnd(width)}  Show this help`,
    '',
    'Configuration comes from the environment (and a .env file in the current directory, if there is one):',
    '  DATABASE_URL (postgres://… or empty for SQLite), CORRIDOR_DATA_DIR (default ./data), PORT, HOST,',
    '  CORRIDOR_PUBLIC_URL, CORRIDOR_SECRET, LOG_LEVEL. Logs go to stderr, results to stdout.',
    '',
    'Example: printf "%s" "$PASSWORD" | corridor user add --email ana@example.org --role admin --password-stdin',
  ].join('\n');
}

/** Runs one command and returns the process exit code. Expected failures print one line, never a stack trace. */
export async function main(argv: string[], opts: RunOptions = {}): Promise<number> {
  try {
    // Node only reads .env when asked; an operator's file in the working directory configures the CLI as well.
    if (existsSync('.env')) process.loadEnvFile('.env');
    const [first] = argv;
    if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
      console.log(helpText());
      return first === undefined ? 2 : 0;
    }
    if (first === '--version' || first === '-v') {
      console.log(VERSION);
      return 0;
    }
    const command = COMMANDS.find((c) => c.path.every((word, i) => argv[i] === word));
    if (!command) throw new UsageError(unknownCommand(argv));
    const rest = argv.slice(command.path.length);
    if (rest.includes('--help') || rest.includes('-h')) {
      console.log(`Usage: corridor ${command.usage}\n\n${command.summary}`);
      return 0;
    }
    let values;
    let positionals: string[];
    const wanted = command.positionals ?? [];
    try {
      ({ values, positionals } = parseArgs({
        args: rest,
        options: command.options,
        strict: true,
        allowPositionals: wanted.length > 0,
      }));
    } catch (err) {
      throw new UsageError(`${(err as Error).message}\nUsage: corridor ${command.usage}`);
    }
    if (positionals.length !== wanted.length)
      throw new UsageError(`expected ${wanted.join(' ')}\nUsage: corridor ${command.usage}`);
    const run = await command.load();
    return await run(wanted.length > 0 ? { ...values, positionals } : values, opts);
  } catch (err) {
    return await report(err);
  }
}

function unknownCommand(argv: string[]): string {
  const group = COMMANDS.filter((c) => c.path.length > 1 && c.path[0] === argv[0]);
  if (group.length > 0)
    return `"${argv.slice(0, 2).join(' ')}" is not a command; try: ${group.map((c) => `corridor ${c.path.join(' ')}`).join(', ')}`;
  return `unknown command "${argv[0]}"; run "corridor help" for the list`;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', '28P01', '3D000']);

async function report(err: unknown): Promise<number> {
  if (err instanceof CliError) {
    console.error(`corridor: ${err.message}`);
    return err.exitCode;
  }
  // Loaded here, not on top: a command that failed has loaded them already, and `help` stays quick.
  const [{ ConfigError }, { Problem }] = await Promise.all([
    import('../lib/server/core/config.js'),
    import('../lib/server/http/problem.js'),
  ]);
  if (err instanceof ConfigError) {
    console.error(`corridor: ${err.message}`);
    return 1;
  }
  if (err instanceof Problem) {
    const fields = err.extra.errors?.map((e) => `\n  ${e.path}: ${e.message}`).join('') ?? '';
    console.error(`corridor: ${err.message}${fields}`);
    return 1;
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNREACHABLE.has(code)) {
    console.error(`corridor: cannot use the database (${code}): ${(err as Error).message}. Check DATABASE_URL.`);
    return 1;
  }
  console.error('corridor: unexpected error');
  console.error(err);
  return 1;
}
