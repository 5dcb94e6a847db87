import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { bodyLimit } from 'hono/body-limit';
import { matchedRoutes } from 'hono/route';
import { secureHeaders } from 'hono/secure-headers';
import type { Logger } from '../core/logger.js';
import { allows, PERMISSIONS, type Actor, type Permission } from './access.js';
import { httpCaching } from './caching.js';
import { renderApiReference } from './reference.js';
import { Problem, problems } from './problem.js';
import type { ApiEnv } from './router.js';

export type Authenticate = (c: Context<ApiEnv>) => Promise<Actor | null>;

export interface ApiModule {
  /** Mounts the module's routes under /api. */
  readonly router: OpenAPIHono<ApiEnv>;
  /**
   * Routes that stream their request body themselves, under a limit of their own: `POST /api/…`, or a route's pattern
   * (`PATCH /api/…/:id`).
   */
  readonly streamedBodies?: readonly string[];
}

export interface ApiOptions {
  logger: Logger;
  version: string;
  authenticate: Authenticate;
  /** Maps database errors (unique, foreign key) to problems; returns undefined for anything else. */
  classifyError: (err: unknown) => Problem | undefined;
  modules: ApiModule[];
  /** Origin that browsers must send on unsafe cookie requests; defaults to the request's own origin. */
  publicOrigin?: string;
  maxBodyBytes?: number;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Plain (non-OpenAPI) routes also declare a permission. */
const PLAIN_ROUTES: Record<string, Permission> = {
  'GET /api/openapi.json': 'public',
  'GET /api/docs': 'public',
};

export function createApi(opts: ApiOptions): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>();
  let permissionsByRoute: Map<string, Permission> | undefined;

  app.use('*', async (c, next) => {
    const started = performance.now();
    c.set('log', opts.logger);
    await next();
    opts.logger.debug(
      { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) },
      'api',
    );
  });
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], styleSrc: ["'unsafe-inline'"] },
      referrerPolicy: 'no-referrer',
      xContentTypeOptions: 'nosniff',
      xFrameOptions: 'DENY',
      crossOriginResourcePolicy: 'same-origin',
    }),
  );
  app.use('*', httpCaching());
  const limit = bodyLimit({
    maxSize: opts.maxBodyBytes ?? 1024 * 1024,
    onError: () => problems.tooLarge().toResponse(),
  });
  const streamed = new Set(opts.modules.flatMap((m) => m.streamedBodies ?? []));
  app.use('*', (c, next) => {
    const route = matchedRoutes(c).findLast((r) => r.method !== 'ALL');
    const own =
      streamed.has(`${c.req.method} ${c.req.path}`) ||
      (route !== undefined && streamed.has(`${route.method} ${route.path}`));
    return own ? next() : limit(c, next);
  });

  // Deny by default: find the route this request matched and the permission it declared.
  app.use('*', async (c, next) => {
    permissionsByRoute ??= collectPermissions(app);
    const target = matchedRoutes(c).findLast((r) => r.method !== 'ALL');
    if (!target) return next(); // nothing matched: falls through to 404
    const permission = permissionsByRoute.get(`${target.method} ${target.path}`);

    const actor = await opts.authenticate(c);
    c.set('actor', actor);
    if (UNSAFE.has(c.req.method) && !c.req.header('authorization')) checkOrigin(c, opts.publicOrigin);

    if (!permission) {
      opts.logger.error({ method: target.method, path: target.path }, 'route has no declared permission: denied');
      throw problems.forbidden('This route declares no permission, so it is closed.');
    }
    if (!allows(actor, permission)) {
      if (!actor) throw problems.unauthenticated();
      if (actor.pendingSecondFactor)
        throw new Problem(
          403,
          'second-factor-required',
          'Your role requires two-factor authentication: enrol it first.',
        );
      throw problems.forbidden();
    }
    return next();
  });

  for (const m of opts.modules) app.route('/api', m.router);

  const info = {
    title: 'Corridor API',
    version: opts.version,
    description:
      'Every route states the permission it needs in `x-permission`. Authenticate with the session cookie or ' +
      '`Authorization: Bearer <personal API token>`. Errors are RFC 9457 problem+json.',
  };
  app.doc31('/api/openapi.json', { openapi: '3.1.0', info });
  app.get('/api/docs', (c) => {
    const doc = app.getOpenAPI31Document({ openapi: '3.1.0', info });
    return c.html(renderApiReference(doc));
  });

  app.notFound(() => problems.notFound().toResponse());
  app.onError((err, c) => {
    if (err instanceof Problem) return err.toResponse();
    const mapped = opts.classifyError(err);
    if (mapped) return mapped.toResponse();
    if (err instanceof HTTPException && err.status < 500)
      return new Problem(err.status, err.status === 400 ? 'bad-request' : 'about:blank', err.message).toResponse();
    c.var.log.error({ err, method: c.req.method, path: c.req.path }, 'unhandled error');
    return new Problem(500, 'internal', 'Something went wrong on our side. It has been logged.').toResponse();
  });
  return app;
}

function collectPermissions(app: OpenAPIHono<ApiEnv>): Map<string, Permission> {
  const map = new Map<string, Permission>();
  for (const def of app.openAPIRegistry.definitions) {
    if (def.type !== 'route') continue;
    const p = (def.route as { 'x-permission'?: unknown })['x-permission'];
    if (typeof p !== 'string' || !(PERMISSIONS as readonly string[]).includes(p)) continue;
    map.set(`${def.route.method.toUpperCase()} ${def.route.path.replace(/\{([^}]+)\}/g, ':$1')}`, p as Permission);
  }
  for (const [k, v] of Object.entries(PLAIN_ROUTES)) map.set(k, v);
  return map;
}

/** CSRF: browsers always send Origin on unsafe requests; a cross-site one is refused. Token clients are exempt. */
function checkOrigin(c: Context<ApiEnv>, publicOrigin: string | undefined) {
  const origin = c.req.header('origin');
  const expected = publicOrigin ?? new URL(c.req.url).origin;
  if (origin === expected) return;
  if (!origin && c.req.header('sec-fetch-site') === 'same-origin') return;
  throw new Problem(403, 'csrf', 'Cross-site request refused: send a matching Origin header, or use an API token.');
}
