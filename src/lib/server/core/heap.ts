import { setFlagsFromString } from 'node:v8';

let holders = 0;

/** At most this much growth over what is live while an import runs. */
const COMPACT = 30;

/**
 * Runs `work` with V8 growing its heap by at most 30 % over what was live at the last full collection, instead of
 * up to four times. An import allocates hundreds of megabytes a second that die within a batch: left to V8's own
 * choice, a process with 60 MB live reached 300 MB of heap between full collections, and the import's peak RSS
 * 537 MB at 100,000 rows; with this, 365 MB, for about a tenth more CPU (`npm run bench:search`). The flag is read at
 * each collection, so it can be set while the process runs; it is the process's own, hence counted by holders and
 * put back when the last one ends: to the operator's setting if the process started with one (a lower one is kept
 * throughout), else to 0 (V8 decides). `setFlags` and `own` are for tests.
 */
export async function withCompactHeap<T>(
  work: () => Promise<T>,
  setFlags: (flags: string) => void = setFlagsFromString,
  own: number = startupGrowingPercent(),
): Promise<T> {
  if (holders++ === 0) setFlags(`--heap-growing-percent=${own > 0 ? Math.min(own, COMPACT) : COMPACT}`);
  try {
    return await work();
  } finally {
    if (--holders === 0) setFlags(`--heap-growing-percent=${own}`);
  }
}

/** `--heap-growing-percent` as the process was started with it (its flags, then NODE_OPTIONS), or 0. */
export function startupGrowingPercent(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? '',
): number {
  let found = 0;
  for (const arg of [...nodeOptions.split(/\s+/), ...execArgv]) {
    const m = /^--heap[-_]growing[-_]percent=(\d+)$/.exec(arg);
    if (m) found = Number(m[1]);
  }
  return found;
}
