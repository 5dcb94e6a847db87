import type { AuditLog } from '../audit/index.js';
import { pressEmailFromEnv } from '../core/config.js';
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
  PressContactSchema,
  type Highlight,
  type Localized,
  type PressContact,
} from './schema.js';

/**
 * `pressEmail` defaults to `CORRIDOR_PRESS_EMAIL` (core/config), read when the About page asks: the composition root
 * needs no change for it, and a test can pass its own.
 */
export function createPortalModule(
  db: Db,
  uow: UnitOfWork,
  audit: AuditLog,
  pressEmail: () => string | undefined = () => pressEmailFromEnv(),
): { portal: PortalService; api: ApiModule } {
  const portal = new PortalService(db, uow, new PortalRepository(), audit, pressEmail);
  return { portal, api: { router: portalRoutes(portal) } };
}
