import type { AuditLog } from '../audit/index.js';
import type { Db, SqlDialect, Tx, UnitOfWork } from '../db/index.js';
import type { ApiModule } from '../http/app.js';
import type { PreparedDocs } from '../search/index.js';
import { RecordsBulk } from './bulk.js';
import { RecordsRepository, type SearchSourceRow } from './repository.js';
import { recordsRoutes } from './routes.js';
import { RecordsService, type RecordsServiceDeps } from './service.js';

export { RecordsService, scopeOf, diff, type SearchOptions } from './service.js';
export { type SearchSourceRow } from './repository.js';
export {
  type RecordsBulk,
  type PreparedBatch,
  type BulkRow,
  type BulkFields,
  type BulkField,
  type BulkOutcome,
} from './bulk.js';
export * from './schema.js';

/** The batched write path (imports), indexing what each batch created or changed inside its transaction. */
class IndexedRecordsBulk extends RecordsBulk {
  constructor(
    db: Db,
    repo: RecordsRepository,
    audit: AuditLog,
    private readonly index: Pick<RecordsBulkDeps, 'index' | 'prepareIndex' | 'insertIndex'>,
  ) {
    super(db, repo, audit);
  }

  protected override prepareIndex(created: SearchSourceRow[]): PreparedDocs | null {
    return this.index.prepareIndex(created);
  }

  protected override async written(tx: Tx, created: PreparedDocs | null, updated: string[]): Promise<void> {
    if (created) await this.index.insertIndex(tx, created);
    await this.index.index(tx, updated);
  }
}

export interface RecordsBulkDeps {
  db: Db;
  dialect: SqlDialect;
  audit: AuditLog;
  /** Re-indexes records as they now are in the transaction (`RecordsService.indexRecords`). */
  index: (tx: Tx, ids: string[]) => Promise<void>;
  /** New records' search documents made ready from what is about to be inserted (`RecordsService.prepareIndex`). */
  prepareIndex: (created: SearchSourceRow[]) => PreparedDocs;
  /** Indexes them in the transaction that inserts them (`RecordsService.insertIndex`). */
  insertIndex: (tx: Tx, docs: PreparedDocs) => Promise<void>;
}

export function createRecordsBulk(deps: RecordsBulkDeps): RecordsBulk {
  return new IndexedRecordsBulk(deps.db, new RecordsRepository(deps.db, deps.dialect), deps.audit, deps);
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
