import { setFlagsFromString } from 'node:v8';

let holders = 0;

/**
 * Runs `work` with V8 growing its heap by at most 30 % over what was live at the last full collection, instead of
 * up to four times. An import allocates hundreds of megabytes a second that die within a batch: left to V8's own
 * choice, a process with 60 MB live reached 300 MB of heap between full collections, and the import's peak RSS
 * 537 MB at 100,000 rows; with this, 365 MB, for about a tenth more CPU (`npm run bench:search`). The flag is read at
 * each collection, so it can be set while the process runs; it is the process's own, hence counted by holders and
 * put back (0: V8 decides) when the last one ends. `setFlags` is for tests.
 */
export async function withCompactHeap<T>(
  work: () => Promise<T>,
  setFlags: (flags: string) => void = setFlagsFromString,
): Promise<T> {
  if (holders++ === 0) setFlags('--heap-growing-percent=30');
  try {
    return await work();
  } finally {
    if (--holders === 0) setFlags('--heap-growing-percent=0');
  }
}
