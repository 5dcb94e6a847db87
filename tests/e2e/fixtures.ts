import { Secret, TOTP } from 'otpauth';
import type { TestServer } from './server';

/** A cookie-keeping API client, standing in for a browser that already signed in. */
export class ApiClient {
  cookie = '';
  constructor(readonly origin: string) {}

  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; data: T }> {
    const headers: Record<string, string> = { origin: this.origin, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    const response = await fetch(`${this.origin}/api${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      if (pair.startsWith('corridor_session=')) this.cookie = /Max-Age=0|=;/i.test(line) ? '' : pair;
    }
    const text = await response.text();
    return { status: response.status, data: (text ? JSON.parse(text) : undefined) as T };
  }

  async ok<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const { status, data } = await this.call<T>(method, path, body);
    if (status >= 300) throw new Error(`${method} ${path} → ${status}: ${JSON.stringify(data)}`);
    return data;
  }

  /** The session cookie in the shape Playwright's context.addCookies wants. */
  sessionCookie() {
    const value = this.cookie.replace(/^corridor_session=/, '');
    return { name: 'corridor_session', value, url: this.origin, httpOnly: true, sameSite: 'Lax' as const };
  }
}

export const PASSWORD = 'correct horse battery staple';

/** The demo accounts (`corridor serve --demo`): one per role, all with the published demo-only password. */
export const DEMO_PASSWORD = 'corridor-demo-only';
export const demoEmail = (role: string) => `${role}@demo.corridor.test`;

/** A new client signed in through the API, as the sign-in form would be: its session cookie kept. */
export async function signIn(origin: string, account: { email: string; password: string }): Promise<ApiClient> {
  const client = new ApiClient(origin);
  await client.ok('POST', '/auth/login', { email: account.email, password: account.password });
  return client;
}

/** A new client signed in as one of the demo accounts (a server started with `demo: true`). */
export const demoSignIn = (origin: string, role: string) =>
  signIn(origin, { email: demoEmail(role), password: DEMO_PASSWORD });

export function totpCode(secret: string, offsetSeconds = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
  return totp.generate({ timestamp: Date.now() + offsetSeconds * 1000 });
}

export interface Account {
  email: string;
  password: string;
  displayName: string;
}

export interface World {
  admin: Account & { client: ApiClient; totpSecret: string };
  documenter: Account;
}

/**
 * The first admin from the one-time setup link, with 2FA enrolled (admins must have it), and a documenter invited
 * by that admin. Each test file gets its own server, so these never collide.
 */
export async function createWorld(server: TestServer): Promise<World> {
  const anonymous = new ApiClient(server.origin);
  const admin = { email: 'ada@e2e.test', password: PASSWORD, displayName: 'Ada Admin' };
  await anonymous.ok('POST', `/invitations/${server.setupToken}/accept`, admin);

  const client = new ApiClient(server.origin);
  const me = await client.ok<{ pendingSecondFactor: boolean }>('POST', '/auth/login', {
    email: admin.email,
    password: admin.password,
  });
  if (!me.pendingSecondFactor) throw new Error('expected the new admin to owe a second factor');
  const { secret } = await client.ok<{ secret: string }>('POST', '/account/totp/setup');
  await client.ok('POST', '/account/totp/enable', { code: totpCode(secret) });

  const documenter = { email: 'dora@e2e.test', password: PASSWORD, displayName: 'Dora Documenter' };
  const invitation = await client.ok<{ token: string }>('POST', '/users/invitations', {
    email: documenter.email,
    role: 'documenter',
  });
  await anonymous.ok('POST', `/invitations/${invitation.token}/accept`, {
    displayName: documenter.displayName,
    password: documenter.password,
  });
  return { admin: { ...admin, client, totpSecret: secret }, documenter };
}
