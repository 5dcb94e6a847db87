import type { AuditLog } from '../audit/index.js';
import type { Db, SqlDialect, Tx, UnitOfWork } from '../db/index.js';
import type { ApiModule } from '../http/app.js';
import type { SearchLimits } from './base.js';
import type { SearchIndex } from './engine.js';
import { PostgresSearchIndex } from './postgres/repository.js';
import { SavedSearchesRepository } from './repository.js';
import { savedSearchesRoutes } from './routes.js';
import { SavedSearchesService, type SavedSearchesDeps } from './service.js';
import { SqliteSearchIndex, type SqliteDefer } from './sqlite/repository.js';

export * from './engine.js';
export * from './schema.js';
export { DEFAULT_LIMITS, type SearchLimits } from './base.js';
export { fold } from './normalize.js';
export { parseQuery, isEmpty, positiveTerms, QUERY_MAX, type ParsedQuery, type Term } from './query.js';
export { snippet, type Snippet } from './snippet.js';
export { SavedSearchesService } from './service.js';

/**
 * The index for the database in use: FTS5 on SQLite, tsvector and GIN on PostgreSQL. `defer`
 * (`DatabaseHandle.defer`) lets SQLite add an import's new documents on the background connection.
 */
export function createSearchIndex(
  db: Db,
  dialect: SqlDialect,
  limits?: SearchLimits,
  defer?: SqliteDefer,
): SearchIndex {
  return dialect.name === 'sqlite' ? new SqliteSearchIndex(db, limits, defer) : new PostgresSearchIndex(db, limits);
}

export interface SearchModuleDeps {
  db: Db;
  dialect: SqlDialect;
  uow: UnitOfWork;
  audit: AuditLog;
  validateParams: SavedSearchesDeps['validateParams'];
  defer?: SqliteDefer;
}

/** The index (for the modules whose documents it holds) and the saved searches' API. */
export function createSearchModule(deps: SearchModuleDeps): {
  index: SearchIndex;
  savedSearches: SavedSearchesService;
  api: ApiModule;
} {
  const savedSearches = new SavedSearchesService({
    repo: new SavedSearchesRepository(deps.db, deps.dialect),
    uow: deps.uow,
    audit: deps.audit,
    validateParams: deps.validateParams,
  });
  return {
    index: createSearchIndex(deps.db, deps.dialect, undefined, deps.defer),
    savedSearches,
    api: { router: savedSearchesRoutes(savedSearches) },
  };
}

/**
 * Empties the index and fills it again from the tables, in one transaction, then compacts it: each producer (the
 * records module, the sources module) indexes its documents and says how many.
 */
export async function rebuildSearch(deps: {
  uow: UnitOfWork;
  index: SearchIndex;
  producers: Record<string, (tx: Tx) => Promise<number>>;
}): Promise<Record<string, number>> {
  const counts = await deps.uow.run(async (tx) => {
    await deps.index.clear(tx);
    const out: Record<string, number> = {};
    for (const [name, produce] of Object.entries(deps.producers)) out[name] = await produce(tx);
    return out;
  });
  await deps.index.optimize();
  return counts;
}

/**
 * At start-up: rebuilds an index that a migration emptied (0010) while the tables hold records, and indexes again
 * the records whose documents a crash kept from being added (`SearchIndex.pending`).
 */
export async function recoverSearch(
  deps: Parameters<typeof rebuildSearch>[0] & { reindex: (tx: Tx, ids: string[]) => Promise<void> },
): Promise<void> {
  if (await deps.index.needsRebuild()) {
    await rebuildSearch(deps);
    return;
  }
  const pending = await deps.index.pending();
  if (pending.length === 0) return;
  await deps.uow.run(async (tx) => {
    await deps.reindex(tx, pending);
    await deps.index.clearPending(tx);
  });
}
