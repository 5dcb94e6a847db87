import type { AuditLog } from '../audit/index.js';
import type { Db, SqlDialect, UnitOfWork } from '../db/index.js';
import type { ApiModule } from '../http/app.js';
import { PhotosRepository } from './repository.js';
import { photosRoutes } from './routes.js';
import { PhotosService, type PhotosServiceDeps } from './service.js';

export { PhotosService, slug } from './service.js';
export { gate, consentState } from './gate.js';
export * from './schema.js';

export interface PhotosModuleDeps {
  db: Db;
  dialect: SqlDialect;
  uow: UnitOfWork;
  audit: AuditLog;
  evidence: PhotosServiceDeps['evidence'];
  placeName: PhotosServiceDeps['placeName'];
  visibleRecordIds: PhotosServiceDeps['visibleRecordIds'];
  personPseudonyms?: PhotosServiceDeps['personPseudonyms'];
  clock?: () => Date;
  publishGuard?: PhotosServiceDeps['publishGuard'];
}

/** The photo bank (issue 4): what journalists and the public see, behind the consent gate. */
export function createPhotosModule(deps: PhotosModuleDeps): { service: PhotosService; api: ApiModule } {
  const service = new PhotosService({ ...deps, repo: new PhotosRepository(deps.db, deps.dialect) });
  return { service, api: { router: photosRoutes(service) } };
}
