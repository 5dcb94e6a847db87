import { createContext, withPlatform } from '../context.js';

/** Empties the search index and fills it again from the tables: after a restore, or if the index is ever in doubt. */
export async function searchRebuild(): Promise<number> {
  const ctx = createContext();
  const started = Date.now();
  const counts = await withPlatform(ctx, (p) => p.rebuildSearch());
  const what = Object.entries(counts)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  console.log(`search index rebuilt: ${what} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}
