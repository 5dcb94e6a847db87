import type { Db, SqlDialect } from '../db/index.js';
import type { ApiModule } from '../http/app.js';
import { AuditRepository } from './repository.js';
import { auditRoutes } from './routes.js';
import { AuditLog } from './service.js';

export { AuditLog } from './service.js';
export type { AuditEntry, AuditEvent, AuditVerification } from './schema.js';

export function createAuditModule(db: Db, dialect: SqlDialect): { audit: AuditLog; api: ApiModule } {
  const audit = new AuditLog(new AuditRepository(db, dialect));
  return { audit, api: { router: auditRoutes(audit) } };
}
