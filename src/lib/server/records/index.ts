import type { AuditLog } from '../audit/index.js';
import type { Db, SqlDialect, Tx, UnitOfWork } from '../db/index.js';
import type { ApiModule } from '../http/app.js';
import { RecordsBulk } from './bulk.js';
import { RecordsRepository, type SearchSourceRow } from './repository.js';
import { recordsRoutes } from './routes.js';
import { RecordsService, type RecordsServiceDeps } from './service.js';

export { RecordsService, scopeOf, diff, type SearchOptions } from './service.js';
export { type RecordsBulk, type BulkRow, type BulkFields, type BulkField, type BulkOutcome } from './bulk.js';
export * from './schema.js';

/** The batched write path (imports), indexing what each batch created or changed inside its transaction. */
class IndexedRecordsBulk extends RecordsBulk {
  constructor(
    db: Db,
    repo: RecordsRepository,
    audit: AuditLog,
    private readonly index: RecordsBulkDeps['index'],
  ) {
    super(db, repo, audit);
  }

  protected override async written(tx: Tx, created: SearchSourceRow[], updated: string[]): Promise<void> {
    await this.index(tx, [...created.map((s) => s.row.id), ...updated], created);
  }
}

export interface RecordsBulkDeps {
  db: Db;
  dialect: SqlDialect;
  audit: AuditLog;
  /**
   * Keeps the search index in sync (`RecordsService.indexRecords`): `fresh` are new records, already assembled,
   * that need not be read back nor looked up in the index.
   */
  index: (tx: Tx, ids: string[], fresh?: SearchSourceRow[]) => Promise<void>;
}

export function createRecordsBulk(deps: RecordsBulkDeps): RecordsBulk {
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
  publishGuard?: RecordsServiceDeps['publishGuard'];
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
    publishGuard: deps.publishGuard,
  });
  return { service, api: { router: recordsRoutes(service) } };
}
