import type { AuditLog } from '../audit/index.js';
import type { Db, UnitOfWork } from '../db/index.js';
import type { ApiModule } from '../http/app.js';
import { PortalRepository } from './repository.js';
import { portalRoutes } from './routes.js';
import { PortalService } from './service.js';

export { PortalService, HIGHLIGHTS_SETTING_KEY } from './service.js';
export {
  HighlightSchema,
  HighlightListSchema,
  HighlightPageSchema,
  HIGHLIGHT_LOCALES,
  type Highlight,
  type Localized,
} from './schema.js';

export function createPortalModule(
  db: Db,
  uow: UnitOfWork,
  audit: AuditLog,
): { portal: PortalService; api: ApiModule } {
  const portal = new PortalService(db, uow, new PortalRepository(), audit);
  return { portal, api: { router: portalRoutes(portal) } };
}
