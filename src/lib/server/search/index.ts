import type { Db, SqlDialect } from '../db/index.js';
import type { SearchLimits } from './base.js';
import type { SearchIndex } from './engine.js';
import { PostgresSearchIndex } from './postgres/repository.js';
import { SqliteSearchIndex } from './sqlite/repository.js';

export * from './engine.js';
export { DEFAULT_LIMITS, type SearchLimits } from './base.js';
export { fold } from './normalize.js';
export { parseQuery, isEmpty, positiveTerms, QUERY_MAX, type ParsedQuery, type Term } from './query.js';
export { snippet, type Snippet } from './snippet.js';

/** The index for the database in use: FTS5 on SQLite, tsvector and GIN on PostgreSQL. */
export function createSearchIndex(db: Db, dialect: SqlDialect, limits?: SearchLimits): SearchIndex {
  return dialect.name === 'sqlite' ? new SqliteSearchIndex(db, limits) : new PostgresSearchIndex(db, limits);
}
