import { openDatabase } from '../../lib/server/db/index.js';
import { databaseTarget } from '../../lib/server/platform.js';
import { createContext } from '../context.js';

/**
 * Only the database, not a platform: modules check their data at start (master keys, the search index, jobs),
 * which needs the tables that this command is about to create.
 */
export async function migrate(): Promise<number> {
  const ctx = createContext();
  const database = openDatabase(databaseTarget(ctx.config));
  let applied: string[];
  try {
    applied = await database.migrate();
  } finally {
    await database.close();
  }
  const where = ctx.config.database.kind === 'postgres' ? 'PostgreSQL' : ctx.config.database.file;
  if (applied.length === 0) console.log(`Database is up to date (${where}).`);
  else {
    console.log(`Applied ${applied.length} migration${applied.length === 1 ? '' : 's'} to ${where}:`);
    for (const name of applied) console.log(`  ${name}`);
  }
  return 0;
}
