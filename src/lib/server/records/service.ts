import type { Db, UnitOfWork } from '../db/index.js';
import { allows, type Actor } from '../http/access.js';
import type { AuditLog } from '../audit/index.js';
import type { RecordsRepository, Scope } from './repository.js';

export interface RecordsServiceDeps {
  db: Db;
  repo: RecordsRepository;
  uow: UnitOfWork;
  audit: AuditLog;
}

/** Staff (register:read) see public and internal records, and restricted ones they wrote or are named on. */
export function scopeOf(actor: Actor | null): Scope {
  return actor && allows(actor, 'register:read') ? { kind: 'staff', userId: actor.userId } : { kind: 'public' };
}

export class RecordsService {
  constructor(private readonly deps: RecordsServiceDeps) {}

  /**
   * Which of the given ids the actor may see: for other modules (sources, inquiries) that link to records. Ids that
   * do not exist and ids the actor may not see are both left out, so a caller cannot tell the two apart.
   */
  visibleRecordIds(actor: Actor | null, ids: string[]): Promise<Set<string>> {
    return this.deps.repo.visibleIds(scopeOf(actor), ids);
  }
}
