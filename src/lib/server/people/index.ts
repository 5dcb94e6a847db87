import type { AuditLog } from '../audit/index.js';
import type { Db, UnitOfWork } from '../db/index.js';
import type { ApiModule } from '../http/app.js';
import type { KeyRing } from './keys.js';
import { PeopleRepository } from './repository.js';
import { peopleRoutes } from './routes.js';
import { PeopleService } from './service.js';

export { PeopleService, type DecryptPurpose } from './service.js';
export { KeyRing, MasterKeyError, envKeySource, fileKeySource, memoryKeySource, type MasterKeySource } from './keys.js';
export * from './schema.js';

export interface PeopleModuleDeps {
  db: Db;
  uow: UnitOfWork;
  audit: AuditLog;
  keys: KeyRing;
  knownUsers: (ids: string[]) => Promise<Set<string>>;
}

export function createPeopleModule(deps: PeopleModuleDeps): { service: PeopleService; api: ApiModule } {
  const service = new PeopleService({
    repo: new PeopleRepository(deps.db),
    uow: deps.uow,
    audit: deps.audit,
    keys: deps.keys,
    knownUsers: deps.knownUsers,
  });
  return { service, api: { router: peopleRoutes(service) } };
}
