import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresDialect,
  sql,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type SqliteDialectConfig,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { BackgroundCheckpoints, JOURNAL_LIMIT, type CheckpointOptions, type DeferredQuery } from './checkpoints.js';
import { sqlDialect, type SqlDialect } from './dialect.js';
import { migrations } from './migrations/index.js';
import type { Database } from './types.js';

export type { Database } from './types.js';
export { escapeLike, type SqlDialect, type DialectName } from './dialect.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** What a repository method runs on: the pool, or the caller's transaction. */
export type Executor = Db | Tx;

export type DatabaseTarget =
  | { kind: 'sqlite'; file: string; checkpoints?: CheckpointOptions }
  | { kind: 'postgres'; url: string; schema?: string; max?: number };

export interface DatabaseHandle {
  db: Db;
  dialect: SqlDialect;
  migrate(): Promise<string[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * Runs bulk writes (an import) with the log checkpointed on another thread (a SQLite file; elsewhere as is).
   * `work` calls `pace()` between its transactions.
   */
  bulkWrites<T>(work: (pace: () => Promise<void>) => Promise<T>): Promise<T>;
  /** Transactions that start once the writes deferred before them have run (`defer`). */
  uow: UnitOfWork;
  /**
   * While bulk writes run on a SQLite file: queues `queries` to run as one transaction on the background
   * connection once `tx` (a `uow` transaction) has committed, while this thread goes on; `false` (nothing queued,
   * run them yourself) otherwise. For writes nothing reads before they land: an import's full-text documents.
   */
  defer(tx: Tx, queries: CompiledQuery[]): boolean;
}

/**
 * SQLite transactions take the write lock at BEGIN. A deferred one that read first and wrote after another
 * connection committed would fail at once (SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out); the background
 * connection and the CLI are such connections.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * Long multi-row inserts (an import's, thousands of parameters) are prepared once and kept: preparing each cost about
 * a millisecond, 5.5 s of CPU over an import of 300,000 rows (measured with V8's profiler). Only inserts, which Kysely
 * never iterates: a statement is busy while read row by row, and cannot be run again meanwhile.
 */
function cachingInserts(sqlite: SQLite.Database): SqliteDialectConfig['database'] {
  const kept = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (text: string) => {
      if (text.length < BULK_SQL || !/^insert /i.test(text)) return sqlite.prepare(text);
      let statement = kept.get(text);
      if (!statement) {
        statement = sqlite.prepare(text);
        if (kept.size >= KEPT_STATEMENTS) kept.delete(kept.keys().next().value!);
        kept.set(text, statement);
      }
      return statement;
    },
  };
}
const BULK_SQL = 2000;
const KEPT_STATEMENTS = 32;

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly config: SqliteDialectConfig) {
    super(config);
  }

  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.config);
  }
}

export function openDatabase(target: DatabaseTarget): DatabaseHandle {
  let db: Db;
  let checkpoints: BackgroundCheckpoints | null = null;
  if (target.kind === 'sqlite') {
    if (target.file !== ':memory:') mkdirSync(path.dirname(target.file), { recursive: true });
    const sqlite = new SQLite(target.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    // A 64 MB page cache (the default is 2 MB): facet counts fetch thousands of rows by key, and a bulk import
    // rewrites the full-text index's segments. Memory-mapped reads are left off: mapped pages count as resident
    // memory, and an import must stay within 500 MB.
    sqlite.pragma('cache_size = -65536');
    const sqliteDb = new Kysely<Database>({
      dialect: new ImmediateSqliteDialect({ database: cachingInserts(sqlite) }),
    });
    db = sqliteDb;
    if (target.file !== ':memory:') {
      // The log file is cut back to this when it starts over: one import's log would otherwise stay on disk.
      sqlite.pragma(`journal_size_limit = ${JOURNAL_LIMIT}`);
      checkpoints = new BackgroundCheckpoints(sqlite, target.file, target.checkpoints, (queries) =>
        sqliteDb.transaction().execute(async (tx) => {
          for (const q of queries) await tx.executeQuery(CompiledQuery.raw(q.sql, [...q.parameters]));
        }),
      );
    }
  } else {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.max ?? 10,
      connectionTimeoutMillis: 5000,
      // Tests isolate themselves in a schema of their own.
      ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
      // COUNT(*) is int8; our numbers fit a JS number.
      types: {
        getTypeParser: (oid: number, format?: 'text' | 'binary') =>
          oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
      },
    });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const dialect = sqlDialect(target.kind);
  const background = checkpoints;
  const queued = new WeakMap<Tx, DeferredQuery[][]>();
  return {
    db,
    dialect,
    uow: {
      async run(work) {
        if (!background) return db.transaction().execute(work);
        await background.idle();
        const later: DeferredQuery[][] = [];
        const out = await db.transaction().execute((tx) => {
          queued.set(tx, later);
          return work(tx);
        });
        // Committed: what it deferred can run now.
        for (const queries of later) background.post(queries);
        return out;
      },
    },
    defer(tx, queries) {
      const later = queued.get(tx);
      if (!later || !background?.active) return false;
      // Only what the worker needs: a compiled query also holds its operation tree, parameters included.
      later.push(queries.map((q) => ({ sql: q.sql, parameters: q.parameters })));
      return true;
    },
    async migrate() {
      const migrator = new Migrator({
        db,
        provider: { getMigrations: () => Promise.resolve(migrations) },
        // Kysely looks its own tables up across every schema unless told which one: with a schema per test file, a
        // neighbour's kysely_migration_lock would otherwise pass for ours.
        ...(target.kind === 'postgres' && target.schema ? { migrationTableSchema: target.schema } : {}),
      });
      const { error, results } = await migrator.migrateToLatest();
      if (error) throw error instanceof Error ? error : new Error(String(error));
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    },
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
    bulkWrites: (work) => (checkpoints ? checkpoints.during(work) : work(() => Promise.resolve())),
  };
}

/** Runs work in one transaction: services use this so that multi-row writes and their audit entry land together. */
export interface UnitOfWork {
  run<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

export function unitOfWork(db: Db): UnitOfWork {
  return { run: (work) => db.transaction().execute(work) };
}
