import type { AuditLog } from '../audit/index.js';
import type { Db, UnitOfWork } from '../db/index.js';
import type { ApiModule } from '../http/app.js';
import { CrisisRepository } from './repository.js';
import { crisisRoutes } from './routes.js';
import { CrisisService, type CrisisServiceDeps } from './service.js';

export { CrisisService, pick, serviceCounters } from './service.js';
export * from './counters.js';
export * from './schema.js';

export interface CrisisModuleDeps {
  db: Db;
  uow: UnitOfWork;
  audit: AuditLog;
  /** Which of these ids are sources of the register: the sources module answers. */
  existingSources: (ids: string[]) => Promise<Set<string>>;
  /** Which of these ids are gazetteer places: the places module answers. */
  existingPlaces?: (ids: string[]) => Promise<Set<string>>;
  /** How a source is cited on public surfaces: the sources module answers (an interview unnamed). */
  citeSource?: CrisisServiceDeps['citeSource'];
  clock?: () => Date;
}

export function createCrisisModule(deps: CrisisModuleDeps): { service: CrisisService; api: ApiModule } {
  const service = new CrisisService({
    repo: new CrisisRepository(deps.db),
    uow: deps.uow,
    audit: deps.audit,
    existingSources: deps.existingSources,
    existingPlaces: deps.existingPlaces,
    citeSource: deps.citeSource,
    clock: deps.clock,
  });
  return { service, api: { router: crisisRoutes(service) } };
}
