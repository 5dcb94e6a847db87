import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';

/** Static list so that migrations survive bundling. Names sort in order of application. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
};
