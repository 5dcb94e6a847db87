import type { OpenAPIHono } from '@hono/zod-openapi';
import { createAccountsModule, type AccountsModule } from './accounts/index.js';
import { createAuditModule, type AuditLog } from './audit/index.js';
import { createInquiriesModule, type InquiriesService, type VisibleRecordIds } from './inquiries/index.js';
import { createPlacesModule, type PlacesService } from './places/index.js';
import { createPortalModule, type PortalService } from './portal/index.js';
import { createRightsModule, type RightsService } from './rights/index.js';
import { createSourcesModule, type SourcesService } from './sources/index.js';
import type { Config } from './core/config.js';
import type { Logger } from './core/logger.js';
import { openDatabase, unitOfWork, type DatabaseHandle, type DatabaseTarget } from './db/index.js';
import { createApi } from './http/app.js';
import { Problem, problems } from './http/problem.js';
import type { ApiEnv } from './http/router.js';
import { systemRoutes } from './system/index.js';
import { VERSION } from './version.js';

/** The composition root: the one place that knows every module and wires each with exactly what it needs. */
export interface Platform {
  api: OpenAPIHono<ApiEnv>;
  database: DatabaseHandle;
  audit: AuditLog;
  accounts: AccountsModule['service'];
  portal: PortalService;
  rights: RightsService;
  places: PlacesService;
  sources: SourcesService;
  inquiries: InquiriesService;
  close(): Promise<void>;
}

export interface PlatformOptions {
  database: DatabaseTarget;
  secret: string;
  logger: Logger;
  publicUrl?: string;
  /** Run pending migrations first (default true). */
  migrate?: boolean;
}

export async function createPlatform(opts: PlatformOptions): Promise<Platform> {
  const database = openDatabase(opts.database);
  try {
    if (opts.migrate !== false) await database.migrate();
  } catch (err) {
    await database.close();
    throw err;
  }
  const { db, dialect } = database;
  const uow = unitOfWork(db);
  const audit = createAuditModule(db, dialect);
  const accounts = createAccountsModule({
    db,
    dialect,
    uow,
    audit: audit.audit,
    secret: opts.secret,
    logger: opts.logger,
  });
  const portal = createPortalModule(db, uow, audit.audit);
  // The records module will pass its usage counter here, so that a right cited by a record cannot be deleted.
  const rights = createRightsModule({ db, dialect, uow, audit: audit.audit });
  const places = createPlacesModule({ db, dialect, uow, audit: audit.audit });
  // Until the records module is wired here, no record is visible: links fail closed.
  const visibleRecordIds: VisibleRecordIds = () => Promise.resolve(new Set<string>());
  const sources = createSourcesModule({ db, dialect, uow, audit: audit.audit, visibleRecordIds });
  const inquiries = createInquiriesModule({ db, dialect, uow, audit: audit.audit, visibleRecordIds });

  const api = createApi({
    logger: opts.logger,
    version: VERSION,
    authenticate: accounts.authenticate,
    publicOrigin: opts.publicUrl ? new URL(opts.publicUrl).origin : undefined,
    classifyError: (err) => {
      if (dialect.isUniqueViolation(err))
        return problems.conflict('A record with the same unique value already exists.');
      if (dialect.isForeignKeyViolation(err))
        return problems.conflict('This refers to something that does not exist or is still in use.');
      return err instanceof Problem ? err : undefined;
    },
    modules: [
      {
        router: systemRoutes({
          version: VERSION,
          dbName: dialect.name,
          ping: database.ping,
        }),
      },
      accounts.api,
      audit.api,
      portal.api,
      rights.api,
      places.api,
      sources.api,
      inquiries.api,
    ],
  });

  return {
    api,
    database,
    audit: audit.audit,
    accounts: accounts.service,
    portal: portal.portal,
    rights: rights.service,
    places: places.service,
    sources: sources.service,
    inquiries: inquiries.service,
    close: () => database.close(),
  };
}

export function databaseTarget(config: Config): DatabaseTarget {
  return config.database.kind === 'postgres'
    ? { kind: 'postgres', url: config.database.url }
    : { kind: 'sqlite', file: config.database.file };
}
