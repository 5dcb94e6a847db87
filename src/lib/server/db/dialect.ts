import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * Everything that differs between SQLite and PostgreSQL lives here, so that repositories stay dialect-free.
 * Repositories call these helpers; nothing else inspects the dialect.
 */
export type DialectName = 'sqlite' | 'postgres';

export interface SqlDialect {
  readonly name: DialectName;
  /** SQLite returns COUNT/SUM as numbers, pg as strings for bigint. */
  toNumber(value: unknown): number;
  /** pg returns jsonb parsed, SQLite returns text. Always bind JSON.stringify'd text. */
  fromJson<T>(value: unknown): T;
  /** Case-insensitive LIKE: SQLite's LIKE already folds ASCII case, PostgreSQL needs ILIKE. */
  ilike(column: string, pattern: string): RawBuilder<boolean>;
  /** Row lock for read-modify-write; SQLite serialises writers, so it needs none. */
  readonly supportsForUpdate: boolean;
  isUniqueViolation(err: unknown): boolean;
  isForeignKeyViolation(err: unknown): boolean;
}

function errCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const c = (err as { code: unknown }).code;
    return typeof c === 'string' ? c : undefined;
  }
  return undefined;
}

const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  toNumber: (v) => Number(v ?? 0),
  fromJson: <T>(v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T)),
  ilike: (column, pattern) => sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`,
  supportsForUpdate: false,
  isUniqueViolation: (err) => ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'].includes(errCode(err) ?? ''),
  isForeignKeyViolation: (err) => errCode(err) === 'SQLITE_CONSTRAINT_FOREIGNKEY',
};

const postgresDialect: SqlDialect = {
  name: 'postgres',
  toNumber: (v) => Number(v ?? 0),
  fromJson: <T>(v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T)),
  ilike: (column, pattern) => sql<boolean>`${sql.ref(column)} ilike ${pattern} escape '\\'`,
  supportsForUpdate: true,
  isUniqueViolation: (err) => errCode(err) === '23505',
  isForeignKeyViolation: (err) => errCode(err) === '23503',
};

export function sqlDialect(name: DialectName): SqlDialect {
  return name === 'sqlite' ? sqliteDialect : postgresDialect;
}

/** For migrations, which receive only a Kysely instance. */
export function dialectOf(db: Kysely<unknown>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Escape %, _ and \ for use inside a LIKE pattern. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c);
}
