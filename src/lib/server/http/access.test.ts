import { createRoute, z } from '@hono/zod-openapi';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.js';
import { createTestApi, login, type TestApi } from '../testing/api.js';
import { testDialects } from '../testing/db.js';
import { createFactory } from '../testing/factories.js';
import { ROLES, type Role } from './access.js';
import { createApi } from './app.js';
import { createRouter } from './router.js';

/**
 * Who may call what, written out by hand on purpose: it is the reviewed statement of the access policy, not a copy
 * of ROLE_PERMISSIONS. A new route without a row here fails this test.
 */
type Rule = 'public' | 'signed-in' | readonly Role[];
const ADMIN: readonly Role[] = ['admin'];
const STAFF: readonly Role[] = ['admin', 'documenter', 'reviewer', 'communicator', 'coordinator'];
const PLACE_WRITERS: readonly Role[] = ['admin', 'documenter', 'reviewer'];
const RECORD_WRITERS: readonly Role[] = ['admin', 'documenter', 'reviewer'];
const SOURCE_WRITERS: readonly Role[] = ['admin', 'documenter', 'reviewer'];
const SOURCE_GRADERS: readonly Role[] = ['admin', 'reviewer'];
const INQUIRY_WRITERS: readonly Role[] = ['admin', 'documenter'];
const PEOPLE: readonly Role[] = ['admin', 'documenter', 'reviewer'];
const STORY_WRITERS: readonly Role[] = ['admin', 'documenter', 'reviewer'];
const IMPORTERS: readonly Role[] = ['admin', 'reviewer'];
const EVIDENCE_READERS: readonly Role[] = ['admin', 'documenter', 'reviewer', 'communicator'];
const EVIDENCE_WRITERS: readonly Role[] = ['admin', 'documenter', 'reviewer', 'communicator'];
const EVIDENCE_METADATA: readonly Role[] = ['documenter', 'reviewer'];
const REDACTORS: readonly Role[] = ['reviewer'];
const PHOTO_WRITERS: readonly Role[] = ['admin', 'documenter', 'reviewer', 'communicator'];
const PHOTO_REVIEWERS: readonly Role[] = ['reviewer', 'communicator'];
const REPORT_WRITERS: readonly Role[] = ['admin', 'reviewer', 'communicator'];
const REPORT_PUBLISHERS: readonly Role[] = ['admin', 'reviewer'];
const CRISIS_WRITERS: readonly Role[] = ['admin', 'documenter', 'reviewer'];

const EXPECTED: Record<string, Rule> = {
  'GET /api/health': 'public',
  'GET /api/openapi.json': 'public',
  'GET /api/docs': 'public',
  'GET /api/portal/highlights': 'public',
  'GET /api/portal/contact': 'public',

  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'signed-in',
  'GET /api/auth/me': 'signed-in',

  'POST /api/account/password': 'signed-in',
  'POST /api/account/totp/setup': 'signed-in',
  'POST /api/account/totp/enable': 'signed-in',
  'POST /api/account/totp/disable': 'signed-in',
  'GET /api/account/tokens': 'signed-in',
  'POST /api/account/tokens': 'signed-in',
  'DELETE /api/account/tokens/{id}': 'signed-in',

  'GET /api/users': ADMIN,
  'GET /api/users/directory': STAFF,
  'PATCH /api/users/{id}': ADMIN,
  'GET /api/users/invitations': ADMIN,
  'POST /api/users/invitations': ADMIN,
  'DELETE /api/users/invitations/{id}': ADMIN,

  'GET /api/invitations/{token}': 'public',
  'POST /api/invitations/{token}/accept': 'public',

  'GET /api/settings/security': ADMIN,
  'PUT /api/settings/security': ADMIN,

  'GET /api/audit': ADMIN,
  'GET /api/audit/verify': ADMIN,

  'GET /api/rights': 'public',
  'GET /api/rights/{id}': 'public',
  'POST /api/rights': ADMIN,
  'PATCH /api/rights/{id}': ADMIN,
  'DELETE /api/rights/{id}': ADMIN,

  'GET /api/places': STAFF,
  'GET /api/places/{id}': STAFF,
  'POST /api/places': PLACE_WRITERS,
  'PATCH /api/places/{id}': PLACE_WRITERS,
  'DELETE /api/places/{id}': PLACE_WRITERS,

  'GET /api/groups': STAFF,
  'GET /api/groups/{id}': STAFF,
  'POST /api/groups': ADMIN,
  'PATCH /api/groups/{id}': ADMIN,
  'DELETE /api/groups/{id}': ADMIN,

  'GET /api/records': STAFF,
  'POST /api/records': RECORD_WRITERS,
  'GET /api/records/{id}': STAFF,
  'PATCH /api/records/{id}': RECORD_WRITERS,
  'POST /api/records/{id}/transitions': RECORD_WRITERS,
  'PUT /api/records/{id}/access': RECORD_WRITERS,
  'DELETE /api/records/{id}': RECORD_WRITERS,
  'GET /api/records/{id}/revisions': STAFF,
  'GET /api/records/{id}/revisions/{rev}': STAFF,
  'POST /api/records/{id}/revisions/{rev}/restore': RECORD_WRITERS,
  'GET /api/records/{id}/diff': STAFF,
  'GET /api/public/records': 'public',
  'GET /api/public/records/{id}': 'public',
  'GET /api/public/records/timeline': 'public',

  'GET /api/public/map/points': 'public',
  'GET /api/public/map/summary': 'public',
  'GET /api/public/map/disruptions': 'public',
  'GET /api/public/map/export.geojson': 'public',
  'GET /api/public/map/static.svg': 'public',
  'GET /api/public/map/base': 'public',
  'GET /api/public/map/tiles/{z}/{x}/{y}': 'public',
  'GET /api/public/map/lib/{version}/{file}': 'public',

  'GET /api/saved-searches': STAFF,
  'POST /api/saved-searches': STAFF,
  'DELETE /api/saved-searches/{id}': STAFF,

  'GET /api/sources': STAFF,
  'GET /api/sources/{id}': STAFF,
  'POST /api/sources': SOURCE_WRITERS,
  'PATCH /api/sources/{id}': SOURCE_WRITERS,
  'DELETE /api/sources/{id}': SOURCE_WRITERS,
  'POST /api/sources/{id}/grade': SOURCE_GRADERS,
  'POST /api/sources/{id}/records': SOURCE_WRITERS,
  'GET /api/records/{id}/sources': STAFF,
  'DELETE /api/sources/{id}/records/{recordId}': SOURCE_WRITERS,

  'GET /api/inquiries': STAFF,
  'GET /api/inquiries/{id}': STAFF,
  'POST /api/inquiries': INQUIRY_WRITERS,
  'PATCH /api/inquiries/{id}': INQUIRY_WRITERS,
  'DELETE /api/inquiries/{id}': INQUIRY_WRITERS,
  'POST /api/inquiries/{id}/records': INQUIRY_WRITERS,
  'DELETE /api/inquiries/{id}/records/{recordId}': INQUIRY_WRITERS,

  // People: the registry by pseudonym; reading an identity also needs a per-person grant (people/routes.test.ts).
  'GET /api/people': PEOPLE,
  'POST /api/people': PEOPLE,
  'GET /api/people/{id}': PEOPLE,
  'PATCH /api/people/{id}': PEOPLE,
  'GET /api/people/{id}/identity': PEOPLE,
  'GET /api/people/{id}/access': PEOPLE,
  'PUT /api/people/{id}/access': PEOPLE,

  'GET /api/stories': STAFF,
  'POST /api/stories': STORY_WRITERS,
  'GET /api/stories/{id}': STAFF,
  'PATCH /api/stories/{id}': STORY_WRITERS,
  'POST /api/stories/{id}/transitions': STORY_WRITERS,
  'POST /api/stories/{id}/pii-check': STORY_WRITERS,
  'POST /api/stories/{id}/consents': STORY_WRITERS,
  'POST /api/stories/{id}/consents/{consentId}/withdrawal': STORY_WRITERS,
  'GET /api/public/stories': 'public',
  'GET /api/public/stories/{id}': 'public',
  'GET /api/public/cards/live': 'public',

  'POST /api/imports/records': IMPORTERS,
  'GET /api/imports/{id}': IMPORTERS,
  'POST /api/imports/{id}/commit': IMPORTERS,
  'GET /api/exports/records': STAFF,
  'GET /api/public/exports/records': 'public',

  'GET /api/evidence': EVIDENCE_READERS,
  'POST /api/evidence': EVIDENCE_WRITERS,
  'GET /api/evidence/uploads': EVIDENCE_READERS,
  'POST /api/evidence/uploads': EVIDENCE_WRITERS,
  'GET /api/evidence/uploads/{id}': EVIDENCE_WRITERS,
  'PATCH /api/evidence/uploads/{id}': EVIDENCE_WRITERS,
  'DELETE /api/evidence/uploads/{id}': EVIDENCE_WRITERS,
  'GET /api/evidence/{id}': EVIDENCE_READERS,
  'GET /api/evidence/{id}/custody': EVIDENCE_READERS,
  'GET /api/evidence/{id}/original': EVIDENCE_METADATA,
  'GET /api/evidence/{id}/files/{file}': EVIDENCE_READERS,
  'POST /api/evidence/{id}/links': EVIDENCE_WRITERS,
  'DELETE /api/evidence/{id}/links/{type}/{targetId}': EVIDENCE_WRITERS,
  'POST /api/evidence/{id}/redactions': REDACTORS,

  'GET /api/photos': STAFF,
  'POST /api/photos': PHOTO_WRITERS,
  'GET /api/photos/{id}': STAFF,
  'PATCH /api/photos/{id}': PHOTO_WRITERS,
  'POST /api/photos/{id}/consents': PHOTO_WRITERS,
  'POST /api/photos/{id}/consents/{consentId}/withdraw': PHOTO_WRITERS,
  'POST /api/photos/{id}/publish': PHOTO_REVIEWERS,
  'POST /api/photos/{id}/unpublish': PHOTO_REVIEWERS,
  'GET /api/photos/{id}/image/{file}': STAFF,
  'GET /api/photos/{id}/download': ROLES,
  'GET /api/public/photos': 'public',
  'GET /api/public/photos/{id}': 'public',
  'GET /api/public/photos/{id}/image/{file}': 'public',

  'GET /api/crisis': STAFF,
  'PUT /api/crisis': CRISIS_WRITERS,
  'GET /api/crisis/activity': STAFF,
  'GET /api/public/counters': 'public',
  'GET /api/disruptions': STAFF,
  'POST /api/disruptions': CRISIS_WRITERS,
  'GET /api/disruptions/{id}': STAFF,
  'PATCH /api/disruptions/{id}': CRISIS_WRITERS,
  'DELETE /api/disruptions/{id}': CRISIS_WRITERS,
  'POST /api/disruptions/{id}/intervals': CRISIS_WRITERS,
  'PATCH /api/disruptions/{id}/intervals/{childId}': CRISIS_WRITERS,
  'DELETE /api/disruptions/{id}/intervals/{childId}': CRISIS_WRITERS,
  'GET /api/indicators': STAFF,
  'POST /api/indicators': CRISIS_WRITERS,
  'GET /api/indicators/{id}': STAFF,
  'PATCH /api/indicators/{id}': CRISIS_WRITERS,
  'DELETE /api/indicators/{id}': CRISIS_WRITERS,
  'POST /api/indicators/{id}/observations': CRISIS_WRITERS,
  'DELETE /api/indicators/{id}/observations/{childId}': CRISIS_WRITERS,
  'GET /api/indicators/{id}/summary': STAFF,
  'GET /api/indicators/{id}/series': STAFF,
  'GET /api/key-figures': STAFF,
  'POST /api/key-figures': CRISIS_WRITERS,
  'GET /api/key-figures/{id}': STAFF,
  'PATCH /api/key-figures/{id}': CRISIS_WRITERS,
  'DELETE /api/key-figures/{id}': CRISIS_WRITERS,

  // Reports: staff read drafts; reviewers, communicators and admins build; reviewers and admins publish.
  'GET /api/reports': STAFF,
  'POST /api/reports': REPORT_WRITERS,
  'GET /api/reports/{id}': STAFF,
  'PATCH /api/reports/{id}': REPORT_WRITERS,
  'DELETE /api/reports/{id}': REPORT_WRITERS,
  'POST /api/reports/{id}/editions': REPORT_WRITERS,
  'GET /api/editions/{id}': STAFF,
  'POST /api/editions/{id}/publish': REPORT_PUBLISHERS,
  'DELETE /api/editions/{id}': REPORT_WRITERS,
  'GET /api/editions/{id}/pdf': STAFF,
  'GET /api/editions/{id}/card': STAFF,
  'GET /api/public/editions': 'public',
  'GET /api/public/editions/{id}': 'public',
  'GET /api/public/editions/{id}/pdf': 'public',
  'GET /api/public/editions/{id}/card': 'public',
};

/** What a password-only session of a role that must use 2FA may still do: see itself, sign out, enrol. */
const PENDING_SECOND_FACTOR = new Set([
  'POST /api/auth/logout',
  'GET /api/auth/me',
  'POST /api/account/totp/setup',
  'POST /api/account/totp/enable',
]);

/** Served outside the OpenAPI document. */
const PLAIN_ROUTES = ['GET /api/openapi.json', 'GET /api/docs'];

/** Runs last: it ends the caller's session. */
const ENDS_SESSION = 'POST /api/auth/logout';

type Caller = { name: string; session?: string; pending?: boolean; role?: Role };

function allowed(route: string, caller: Caller): boolean {
  const rule = EXPECTED[route];
  if (rule === undefined) throw new Error(`no rule for ${route}`);
  if (rule === 'public') return true;
  if (!caller.session) return false;
  if (caller.pending) return PENDING_SECOND_FACTOR.has(route);
  return rule === 'signed-in' || (caller.role !== undefined && rule.includes(caller.role));
}

describe.each(testDialects())('route × role access table [%s]', (dialect) => {
  let api: TestApi;
  let doc: { openapi: string; paths: Record<string, Record<string, { 'x-permission'?: string }>> };
  const callers: Caller[] = [];

  beforeAll(async () => {
    api = await createTestApi(dialect);
    const factory = createFactory(api);
    callers.push({ name: 'public' });
    for (const role of ROLES) {
      const u = await factory.signedIn(`as-${role}`, { role });
      callers.push({ name: role, role, session: u.session });
    }
    const pendingAdmin = await factory.user('pending-admin', { role: 'admin' });
    const pending = await login(api, pendingAdmin.email, pendingAdmin.password);
    expect(await pending.res.json()).toMatchObject({ pendingSecondFactor: true });
    callers.push({ name: 'admin (2FA pending)', role: 'admin', session: pending.session, pending: true });
    doc = (await (await api.request('/api/openapi.json')).json()) as typeof doc;
  });
  afterAll(() => api.close());

  function documentedRoutes(): string[] {
    const out: string[] = [];
    for (const [path, item] of Object.entries(doc.paths))
      for (const method of Object.keys(item))
        if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) out.push(`${method.toUpperCase()} ${path}`);
    return out;
  }

  it('has a rule for every documented route, and no rule for a route that is gone', () => {
    const routes = [...documentedRoutes(), ...PLAIN_ROUTES];
    expect(
      routes.filter((r) => !(r in EXPECTED)),
      'routes without a rule in EXPECTED',
    ).toEqual([]);
    expect(
      Object.keys(EXPECTED).filter((r) => !routes.includes(r)),
      'stale rows in EXPECTED',
    ).toEqual([]);
  });

  it('publishes a permission consistent with the table on every route', () => {
    for (const route of documentedRoutes()) {
      const [method, path] = route.split(' ') as [string, string];
      const permission = doc.paths[path]?.[method.toLowerCase()]?.['x-permission'];
      const rule = EXPECTED[route];
      if (rule === 'public') expect(permission, route).toBe('public');
      else expect(permission, route).not.toBe('public');
    }
  });

  it('lets exactly the expected callers through, on a real request to every route', async () => {
    const routes = [...documentedRoutes(), ...PLAIN_ROUTES].sort(
      (a, b) => Number(a === ENDS_SESSION) - Number(b === ENDS_SESSION),
    );
    const mismatches: string[] = [];
    for (const route of routes) {
      const [method, path] = route.split(' ') as [string, string];
      const url = path.replace(/\{[^}]+\}/g, 'no-such-id');
      for (const caller of callers) {
        const res = await api.request(url, {
          method,
          session: caller.session,
          ...(method === 'GET' ? {} : { json: {} }),
        });
        const denied = res.status === 401 || res.status === 403;
        const expectDenied = !allowed(route, caller);
        if (denied !== expectDenied) mismatches.push(`${route} as ${caller.name}: got ${res.status}`);
        if (expectDenied) expect(res.status, `${route} as ${caller.name}`).toBe(caller.session ? 403 : 401);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });
});

describe('deny by default', () => {
  const admin = { userId: 'u1', role: 'admin' as const, via: 'session' as const, pendingSecondFactor: false };
  const router = createRouter();
  // Registered without `x-permission`, with createRoute rather than defineRoute.
  router.openapi(
    createRoute({
      method: 'get',
      path: '/forgotten',
      responses: {
        200: { description: 'ok', content: { 'application/json': { schema: z.object({ ok: z.boolean() }) } } },
      },
    }),
    (c) => c.json({ ok: true }, 200),
  );
  router.get('/plain', (c) => c.json({ ok: true }));
  const app = createApi({
    logger: createLogger('silent'),
    version: 'test',
    authenticate: () => Promise.resolve(admin),
    classifyError: () => undefined,
    modules: [{ router }],
  });

  it('closes a route that declares no permission, even to an admin', async () => {
    const res = await app.request('/api/forgotten');
    expect(res.status).toBe(403);
  });

  it('closes a plain route registered outside OpenAPI', async () => {
    expect((await app.request('/api/plain')).status).toBe(403);
  });
});
