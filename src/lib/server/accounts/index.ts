import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AuditLog } from '../audit/index.js';
import type { Logger } from '../core/logger.js';
import type { Db, SqlDialect, UnitOfWork } from '../db/index.js';
import type { Actor } from '../http/access.js';
import type { ApiModule } from '../http/app.js';
import type { ApiEnv } from '../http/router.js';
import { AccountsRepository } from './repository.js';
import { accountsRoutes } from './routes.js';
import { AccountsService, SESSION_COOKIE } from './service.js';

export { AccountsService, SESSION_COOKIE, API_TOKEN_PREFIX, THROTTLE, REQUIRE_2FA_KEY } from './service.js';
export type { LoginResult } from './service.js';
export * from './schema.js';

export interface AccountsModuleDeps {
  db: Db;
  dialect: SqlDialect;
  uow: UnitOfWork;
  audit: AuditLog;
  /** The instance secret: TOTP seeds are encrypted with a key derived from it. */
  secret: string;
  logger: Logger;
  now?: () => Date;
}

export interface AccountsModule {
  service: AccountsService;
  authenticate: (c: Context<ApiEnv>) => Promise<Actor | null>;
  api: ApiModule;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;
const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function createAccountsModule(deps: AccountsModuleDeps): AccountsModule {
  const service = new AccountsService({
    repo: new AccountsRepository(deps.db, deps.dialect),
    uow: deps.uow,
    audit: deps.audit,
    secret: deps.secret,
    logger: deps.logger,
    now: deps.now,
  });

  async function authenticate(c: Context<ApiEnv>): Promise<Actor | null> {
    // With an Authorization header the cookie is never consulted: such requests skip the CSRF check.
    const authorization = c.req.header('authorization');
    if (authorization !== undefined) {
      const m = BEARER.exec(authorization);
      return m?.[1] ? service.authenticateToken(m[1]) : null;
    }
    const cookie = getCookie(c, SESSION_COOKIE);
    if (!cookie || !SESSION_TOKEN.test(cookie)) return null;
    return service.authenticateSession(cookie);
  }

  return { service, authenticate, api: { router: accountsRoutes(service) } };
}
