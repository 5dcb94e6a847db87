import { TOTP, Secret } from 'otpauth';
import { createLogger, type Logger } from '../core/logger.js';
import type { DialectName } from '../db/index.js';
import type { Role } from '../http/access.js';
import { createPlatform, type Platform } from '../platform.js';
import { afterAll, beforeAll, describe } from 'vitest';
import { createTestTarget, testDialects } from './db.js';

export const TEST_SECRET = 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
export const TEST_ORIGIN = 'http://localhost';

export interface TestRequestInit extends Omit<RequestInit, 'body'> {
  /** Serialised as JSON with a JSON content type. */
  json?: unknown;
  body?: BodyInit | null;
  /** Session cookie value to send. */
  session?: string;
  /** API token to send as `Authorization: Bearer`. */
  bearer?: string;
  /** Leave out the default Origin header (to test the CSRF guard). */
  noOrigin?: boolean;
  /** Client address, as the server entry would set it. */
  clientIp?: string;
}

export interface TestApi {
  platform: Platform;
  dialect: DialectName;
  request(path: string, init?: TestRequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** A whole platform on a fresh database, driven in-process through Hono's `app.request` (no port is opened). */
export async function createTestApi(dialect: DialectName, opts: { logger?: Logger } = {}): Promise<TestApi> {
  const { target, drop } = await createTestTarget(dialect);
  const platform = await createPlatform({
    database: target,
    secret: TEST_SECRET,
    logger: opts.logger ?? createLogger('silent'),
  });
  return {
    platform,
    dialect,
    request(path, init = {}) {
      const { json, session, bearer, noOrigin, clientIp, headers: given, ...rest } = init;
      const headers = new Headers(given);
      if (!noOrigin && !headers.has('origin')) headers.set('origin', TEST_ORIGIN);
      if (session) headers.append('cookie', `corridor_session=${session}`);
      if (bearer) headers.set('authorization', `Bearer ${bearer}`);
      let body = rest.body;
      if (json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(json);
      }
      return Promise.resolve(
        platform.api.request(path, { ...rest, headers, body }, clientIp ? { clientIp } : undefined),
      );
    },
    async close() {
      await platform.close();
      await drop();
    },
  };
}

/** The session token from a response's Set-Cookie, if it set one. */
export function sessionFrom(res: Response): string | undefined {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('corridor_session='));
  const value = cookie?.split(';')[0]?.slice('corridor_session='.length);
  return value || undefined;
}

/** The current TOTP code for a base32 secret (or the one for `offsetSteps` windows away). */
export function totpCode(secret: string, offsetSteps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), period: 30, digits: 6, algorithm: 'SHA1' }).generate({
    timestamp: Date.now() + offsetSteps * 30_000,
  });
}

export interface SignedIn {
  userId: string;
  email: string;
  password: string;
  role: Role;
  /** Session cookie value (fully signed in: second factor done when the role requires it). */
  session: string;
  /** A personal API token. */
  token: string;
  totpSecret?: string | undefined;
}

export async function login(
  api: TestApi,
  email: string,
  password: string,
  totp?: string,
): Promise<{ res: Response; session: string | undefined }> {
  const res = await api.request('/api/auth/login', { method: 'POST', json: { email, password, totp } });
  return { res, session: sessionFrom(res) };
}

/** `describe` once per test dialect, with one platform (fresh database) for the whole block. */
export function describeEachApi(name: string, body: (api: () => TestApi) => void): void {
  describe.each(testDialects())(`${name} [%s]`, (dialect) => {
    let api: TestApi | undefined;
    beforeAll(async () => {
      api = await createTestApi(dialect);
    });
    afterAll(async () => {
      await api?.close();
    });
    body(() => {
      if (!api) throw new Error('test API not ready');
      return api;
    });
  });
}
