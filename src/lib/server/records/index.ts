import type { AuditLog } from '../audit/index.js';
import type { Db, SqlDialect, Tx, UnitOfWork } from '../db/index.js';
import type { ApiModule } from '../http/app.js';
import { RecordsBulk } from './bulk.js';
import { RecordsRepository } from './repository.js';
import { recordsRoutes } from './routes.js';
import { RecordsService, type RecordsServiceDeps } from './service.js';

export { RecordsService, scopeOf, diff, type SearchOptions } from './service.js';
export { type RecordsBulk, type BulkRow, type BulkFields, type BulkField, type BulkOutcome } from './bulk.js';
export * from './schema.js';

/** The batched write path (imports), re-indexing what each batch created or changed inside its transaction. */
class IndexedRecordsBulk extends RecordsBulk {
  constructor(
    db: Db,
    repo: RecordsRepository,
    audit: AuditLog,
    private readonly index: (tx: Tx, ids: string[]) => Promise<void>,
  ) {
    super(db, repo, audit);
  }

  override async write(...args: Parameters<RecordsBulk['write']>): ReturnType<RecordsBulk['write']> {
    const outcomes = await super.write(...args);
    const written = outcomes.flatMap((o) =>
      (o.action === 'create' || o.action === 'update') && o.recordId ? [o.recordId] : [],
    );
    await this.index(args[0], written);
    return outcomes;
  }
}

export function createRecordsBulk(deps: {
  db: Db;
  dialect: SqlDialect;
  audit: AuditLog;
  /** Keeps the search index in sync (`RecordsService.indexRecords`). */
  index: (tx: Tx, ids: string[]) => Promise<void>;
}): RecordsBulk {
  return new IndexedRecordsBulk(deps.db, new RecordsRepository(deps.db, deps.dialect), deps.audit, deps.index);
}

export interface RecordsModuleDeps {
  db: Db;
  dialect: SqlDialect;
  uow: UnitOfWork;
  audit: AuditLog;
  places: RecordsServiceDeps['places'];
  rights: RecordsServiceDeps['rights'];
  knownUsers: RecordsServiceDeps['knownUsers'];
  knownGroups: RecordsServiceDeps['knownGroups'];
  groupsOf: RecordsServiceDeps['groupsOf'];
  search: RecordsServiceDeps['search'];
}

export function createRecordsModule(deps: RecordsModuleDeps): { service: RecordsService; api: ApiModule } {
  const service = new RecordsService({
    db: deps.db,
    repo: new RecordsRepository(deps.db, deps.dialect),
    uow: deps.uow,
    audit: deps.audit,
    places: deps.places,
    rights: deps.rights,
    knownUsers: deps.knownUsers,
    knownGroups: deps.knownGroups,
    groupsOf: deps.groupsOf,
    search: deps.search,
  });
  return { service, api: { router: recordsRoutes(service) } };
}
