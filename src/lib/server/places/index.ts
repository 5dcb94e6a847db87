import type { AuditLog } from '../audit/index.js';
import type { Db, SqlDialect, UnitOfWork } from '../db/index.js';
import type { ApiModule } from '../http/app.js';
import { PlacesRepository } from './repository.js';
import { placesRoutes } from './routes.js';
import { PlacesService, type PlacesServiceDeps } from './service.js';

export { PlacesService, centroidOf } from './service.js';
export { searchKey } from './fold.js';
export * from './schema.js';

export interface PlacesModuleDeps {
  db: Db;
  dialect: SqlDialect;
  uow: UnitOfWork;
  audit: AuditLog;
  onNamesChanged?: PlacesServiceDeps['onNamesChanged'];
}

export function createPlacesModule(deps: PlacesModuleDeps): { service: PlacesService; api: ApiModule } {
  const service = new PlacesService({
    db: deps.db,
    repo: new PlacesRepository(deps.db, deps.dialect),
    uow: deps.uow,
    audit: deps.audit,
    ...(deps.onNamesChanged ? { onNamesChanged: deps.onNamesChanged } : {}),
  });
  return { service, api: { router: placesRoutes(service) } };
}
