import { createContext, withPlatform } from '../context.js';

export async function migrate(): Promise<number> {
  const ctx = createContext();
  const applied = await withPlatform(ctx, (p) => p.database.migrate(), { migrate: false });
  const where = ctx.config.database.kind === 'postgres' ? 'PostgreSQL' : ctx.config.database.file;
  if (applied.length === 0) console.log(`Database is up to date (${where}).`);
  else {
    console.log(`Applied ${applied.length} migration${applied.length === 1 ? '' : 's'} to ${where}:`);
    for (const name of applied) console.log(`  ${name}`);
  }
  return 0;
}
