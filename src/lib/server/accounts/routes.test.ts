import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, login, sessionFrom, totpCode, type TestApi, type TestRequestInit } from '../testing/api.js';
import { testDialects } from '../testing/db.js';
import { createFactory, type Factory } from '../testing/factories.js';

describe.each(testDialects())('accounts API [%s]', (dialect) => {
  let api: TestApi;
  let factory: Factory;
  /** Every response body fetched in this block, for the secret canary at the end. */
  const bodies: string[] = [];

  async function call(path: string, init?: TestRequestInit): Promise<Response> {
    const res = await api.request(path, init);
    bodies.push(await res.clone().text());
    return res;
  }
  const json = async <T = Record<string, unknown>>(res: Response) => (await res.json()) as T;

  beforeAll(async () => {
    api = await createTestApi(dialect);
    factory = createFactory(api);
  });

  afterAll(async () => {
    // Canary: no stored password hash, TOTP secret, token hash or session id ever left the server.
    const db = api.platform.database.db;
    const secrets = [
      ...(await db.selectFrom('users').select(['password_hash', 'totp_secret']).execute()).flatMap((r) => [
        r.password_hash,
        r.totp_secret,
      ]),
      ...(await db.selectFrom('api_tokens').select('token_hash').execute()).map((r) => r.token_hash),
      ...(await db.selectFrom('sessions').select('id').execute()).map((r) => r.id),
      ...(await db.selectFrom('invitations').select('token_hash').execute()).map((r) => r.token_hash),
    ].filter((s): s is string => !!s);
    expect(secrets.length).toBeGreaterThan(10);
    expect(bodies.length).toBeGreaterThan(50);
    const all = bodies.join('\n');
    for (const s of secrets) expect(all).not.toContain(s);
    expect(all).not.toMatch(/\$argon2/);
    await api.close();
  });

  describe('login', () => {
    it('signs in with a session cookie that is HttpOnly, SameSite=Lax, Path=/', async () => {
      const u = await factory.user('lena', { role: 'communicator' });
      const res = await call('/api/auth/login', { method: 'POST', json: { email: u.email, password: u.password } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('corridor_session='))!;
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).toMatch(/Path=\//);
      expect(cookie).not.toMatch(/Secure/i);
      expect(await json(res)).toEqual({
        id: u.id,
        email: u.email,
        displayName: 'lena',
        role: 'communicator',
        totpEnabled: false,
        pendingSecondFactor: false,
      });
      const me = await call('/api/auth/me', { session: sessionFrom(res) });
      expect((await json(me)).id).toBe(u.id);
    });

    it('marks the cookie Secure over https', async () => {
      const u = await factory.user('hugo');
      const res = await api.platform.api.request('https://corridor.example/api/auth/login', {
        method: 'POST',
        headers: { origin: 'https://corridor.example', 'content-type': 'application/json' },
        body: JSON.stringify({ email: u.email, password: u.password }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.getSetCookie().join()).toMatch(/;\s*Secure/i);
    });

    it('answers an unknown email exactly like a wrong password', async () => {
      const u = await factory.user('nora');
      const wrong = await call('/api/auth/login', {
        method: 'POST',
        json: { email: u.email, password: 'not the password' },
      });
      const unknown = await call('/api/auth/login', {
        method: 'POST',
        json: { email: 'nobody@example.org', password: 'not the password' },
      });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(await wrong.json()).toEqual(await unknown.json());
      expect(sessionFrom(wrong)).toBeUndefined();
    });

    it('refuses a deactivated account with the same answer', async () => {
      const admin = await factory.signedIn('ines', { role: 'admin' });
      const u = await factory.user('otto');
      await call(`/api/users/${u.id}`, { method: 'PATCH', session: admin.session, json: { active: false } });
      const res = await call('/api/auth/login', { method: 'POST', json: { email: u.email, password: u.password } });
      expect(res.status).toBe(401);
      expect((await json(res)).type).toBe('urn:corridor:problem:invalid-credentials');
    });

    it('answers 429 with Retry-After after 5 failures for one account, even with the right password', async () => {
      const u = await factory.user('paul');
      for (let i = 0; i < 5; i++) {
        const r = await call('/api/auth/login', {
          method: 'POST',
          json: { email: u.email, password: 'wrong password' },
        });
        expect(r.status).toBe(401);
      }
      const res = await call('/api/auth/login', { method: 'POST', json: { email: u.email, password: u.password } });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(sessionFrom(res)).toBeUndefined();
    });

    it('limits one address to 20 failures across accounts', async () => {
      const ip = '203.0.113.7';
      for (let i = 0; i < 20; i++) {
        const r = await call('/api/auth/login', {
          method: 'POST',
          clientIp: ip,
          json: { email: `probe${i}@example.org`, password: 'guess guess guess' },
        });
        expect(r.status).toBe(401);
      }
      const u = await factory.user('quinn');
      const blocked = await call('/api/auth/login', {
        method: 'POST',
        clientIp: ip,
        json: { email: u.email, password: u.password },
      });
      expect(blocked.status).toBe(429);
      const elsewhere = await call('/api/auth/login', {
        method: 'POST',
        clientIp: '198.51.100.1',
        json: { email: u.email, password: u.password },
      });
      expect(elsewhere.status).toBe(200);
    });

    it('rejects invalid input with 422 and field errors', async () => {
      const res = await call('/api/auth/login', { method: 'POST', json: { email: 'x@example.org' } });
      expect(res.status).toBe(422);
      expect((await json<{ errors: { path: string }[] }>(res)).errors.map((e) => e.path)).toContain('password');
    });

    it('signs out: the session stops working and the cookie is cleared', async () => {
      const u = await factory.signedIn('rosa');
      const res = await call('/api/auth/logout', { method: 'POST', session: u.session });
      expect(res.status).toBe(204);
      expect(res.headers.getSetCookie().join()).toMatch(/corridor_session=;/);
      expect((await call('/api/auth/me', { session: u.session })).status).toBe(401);
    });
  });

  describe('CSRF and bearer tokens', () => {
    it('refuses a cookie POST without Origin or from another origin', async () => {
      const u = await factory.signedIn('sam');
      const none = await call('/api/account/tokens', {
        method: 'POST',
        session: u.session,
        noOrigin: true,
        json: { name: 'x' },
      });
      expect(none.status).toBe(403);
      expect((await json(none)).type).toBe('urn:corridor:problem:csrf');
      const evil = await call('/api/account/tokens', {
        method: 'POST',
        session: u.session,
        headers: { origin: 'https://evil.example' },
        json: { name: 'x' },
      });
      expect(evil.status).toBe(403);
    });

    it('accepts a bearer token without Origin, on any route', async () => {
      const u = await factory.signedIn('tara');
      const me = await call('/api/auth/me', { bearer: u.token, noOrigin: true });
      expect(me.status).toBe(200);
      expect(await json(me)).toMatchObject({ id: u.id, pendingSecondFactor: false });
      const del = await call(`/api/account/tokens/does-not-exist`, {
        method: 'DELETE',
        bearer: u.token,
        noOrigin: true,
      });
      expect(del.status).toBe(404);
    });

    it('never falls back to the cookie when an Authorization header is present', async () => {
      const u = await factory.signedIn('uma');
      const res = await call('/api/auth/me', { session: u.session, headers: { authorization: 'Bearer cor_bogus' } });
      expect(res.status).toBe(401);
      const basic = await call('/api/auth/me', { session: u.session, headers: { authorization: 'Basic abc' } });
      expect(basic.status).toBe(401);
    });

    it('lists, shows once, and revokes tokens; a revoked token is refused', async () => {
      const u = await factory.signedIn('vera');
      const created = await call('/api/account/tokens', {
        method: 'POST',
        session: u.session,
        json: { name: 'laptop' },
      });
      expect(created.status).toBe(201);
      const t = await json<{ id: string; token: string; name: string }>(created);
      expect(t.token).toMatch(/^cor_[A-Za-z0-9_-]{43}$/);
      expect((await call('/api/auth/me', { bearer: t.token })).status).toBe(200);
      const list = await json<{ items: Record<string, unknown>[] }>(
        await call('/api/account/tokens', { session: u.session }),
      );
      expect(list.items.map((i) => i.name).sort()).toEqual(['laptop', "vera's token"]);
      expect(JSON.stringify(list)).not.toContain(t.token);
      expect(list.items.find((i) => i.id === t.id)?.lastUsedAt).toBeTruthy();
      expect((await call(`/api/account/tokens/${t.id}`, { method: 'DELETE', session: u.session })).status).toBe(204);
      expect((await call('/api/auth/me', { bearer: t.token })).status).toBe(401);
    });

    it("does not let a token revoke another user's token, nor mint new tokens", async () => {
      const a = await factory.signedIn('wren');
      const b = await factory.signedIn('xavi');
      const bTokens = await json<{ items: { id: string }[] }>(
        await call('/api/account/tokens', { session: b.session }),
      );
      const res = await call(`/api/account/tokens/${bTokens.items[0]!.id}`, { method: 'DELETE', session: a.session });
      expect(res.status).toBe(404);
      expect((await call('/api/auth/me', { bearer: b.token })).status).toBe(200);
      const mint = await call('/api/account/tokens', { method: 'POST', bearer: a.token, json: { name: 'child' } });
      expect(mint.status).toBe(403);
    });

    it("stops a deactivated user's sessions and tokens at once", async () => {
      const admin = await factory.signedIn('yara', { role: 'admin' });
      const u = await factory.signedIn('zeno', { role: 'reviewer' });
      expect((await call('/api/auth/me', { bearer: u.token })).status).toBe(200);
      const res = await call(`/api/users/${u.id}`, {
        method: 'PATCH',
        session: admin.session,
        json: { active: false },
      });
      expect(res.status).toBe(200);
      expect(await json(res)).toMatchObject({ active: false, role: 'reviewer' });
      expect((await call('/api/auth/me', { bearer: u.token })).status).toBe(401);
      expect((await call('/api/auth/me', { session: u.session })).status).toBe(401);
      const back = await call(`/api/users/${u.id}`, {
        method: 'PATCH',
        session: admin.session,
        json: { active: true },
      });
      expect(await json(back)).toMatchObject({ active: true });
      // Reactivation does not revive old credentials.
      expect((await call('/api/auth/me', { bearer: u.token })).status).toBe(401);
    });
  });

  describe('two-factor authentication', () => {
    it('requires the code once enrolled, counts a wrong code as a failure, and accepts the right one', async () => {
      const u = await factory.signedIn('abel', { role: 'journalist', totp: true });
      const bare = await login(api, u.email, u.password);
      bodies.push(await bare.res.clone().text());
      expect(bare.res.status).toBe(401);
      expect((await json(bare.res)).type).toBe('urn:corridor:problem:totp-required');
      expect(bare.session).toBeUndefined();

      const wrong = await login(api, u.email, u.password, totpCode(u.totpSecret!, 20));
      expect(wrong.res.status).toBe(401);
      expect((await json(wrong.res)).type).toBe('urn:corridor:problem:totp-invalid');
      const rows = await api.platform.database.db
        .selectFrom('auth_throttle')
        .selectAll()
        .where('key', '=', `email:${u.email}`)
        .executeTakeFirstOrThrow();
      expect(Number(rows.failures)).toBe(1);

      const code = totpCode(u.totpSecret!, 1);
      const ok = await login(api, u.email, u.password, code);
      expect(ok.res.status).toBe(200);
      expect(await json(ok.res)).toMatchObject({ totpEnabled: true, pendingSecondFactor: false });
      const replay = await login(api, u.email, u.password, code);
      expect(replay.res.status).toBe(401);
    });

    it('lets an admin without 2FA in only as far as enrolment, then upgrades the session', async () => {
      const admin = await factory.user('bert', { role: 'admin' });
      const first = await login(api, admin.email, admin.password);
      expect(first.res.status).toBe(200);
      expect(await json(first.res)).toMatchObject({ pendingSecondFactor: true, totpEnabled: false });
      const session = first.session!;
      const users = await call('/api/users', { session });
      expect(users.status).toBe(403);
      expect((await json(users)).type).toBe('urn:corridor:problem:second-factor-required');
      expect((await call('/api/account/tokens', { session })).status).toBe(403);
      expect((await call('/api/auth/me', { session })).status).toBe(200);

      const setup = await call('/api/account/totp/setup', { method: 'POST', session });
      expect(setup.status).toBe(200);
      const { secret, uri } = await json<{ secret: string; uri: string }>(setup);
      expect(uri).toContain(`secret=${secret}`);
      const bad = await call('/api/account/totp/enable', { method: 'POST', session, json: { code: '000000' } });
      expect(bad.status).toBe(422);
      const enable = await call('/api/account/totp/enable', {
        method: 'POST',
        session,
        json: { code: totpCode(secret) },
      });
      expect(enable.status).toBe(200);
      expect(await json(enable)).toMatchObject({ totpEnabled: true, pendingSecondFactor: false });
      expect((await call('/api/users', { session })).status).toBe(200);
      // A second setup would replace a live secret: refused.
      expect((await call('/api/account/totp/setup', { method: 'POST', session })).status).toBe(409);
    });

    it('refuses to turn 2FA off where the role requires it, and allows it elsewhere with password and code', async () => {
      const admin = await factory.signedIn('cleo', { role: 'admin' });
      const refused = await call('/api/account/totp/disable', {
        method: 'POST',
        session: admin.session,
        json: { password: admin.password, code: totpCode(admin.totpSecret!, 1) },
      });
      expect(refused.status).toBe(409);

      const j = await factory.signedIn('dora', { role: 'journalist', totp: true });
      const wrongPw = await call('/api/account/totp/disable', {
        method: 'POST',
        session: j.session,
        json: { password: 'not my password', code: totpCode(j.totpSecret!, 1) },
      });
      expect(wrongPw.status).toBe(422);
      const ok = await call('/api/account/totp/disable', {
        method: 'POST',
        session: j.session,
        json: { password: j.password, code: totpCode(j.totpSecret!, 1) },
      });
      expect(ok.status).toBe(204);
      expect(await json(await call('/api/auth/me', { session: j.session }))).toMatchObject({ totpEnabled: false });
    });

    it('applies the per-role setting at once, to sessions and tokens alike', async () => {
      const admin = await factory.signedIn('egon', { role: 'admin' });
      const doc = await factory.signedIn('fern', { role: 'documenter' });
      const get = await call('/api/settings/security', { session: admin.session });
      expect(await json(get)).toEqual({ require2faRoles: ['admin'] });
      const noAdmin = await call('/api/settings/security', {
        method: 'PUT',
        session: admin.session,
        json: { require2faRoles: ['documenter'] },
      });
      expect(noAdmin.status).toBe(422);
      const put = await call('/api/settings/security', {
        method: 'PUT',
        session: admin.session,
        json: { require2faRoles: ['admin', 'documenter'] },
      });
      expect(await json(put)).toEqual({ require2faRoles: ['admin', 'documenter'] });
      expect(await json(await call('/api/auth/me', { session: doc.session }))).toMatchObject({
        pendingSecondFactor: true,
      });
      expect((await call('/api/account/tokens', { bearer: doc.token })).status).toBe(403);
      // The token cannot lift its own restriction by enrolling a second factor of its holder's choosing.
      const enrol = await call('/api/account/totp/setup', { method: 'POST', bearer: doc.token });
      expect(enrol.status).toBe(403);
      expect((await json(enrol)).type).toBe('urn:corridor:problem:session-required');
      await call('/api/settings/security', {
        method: 'PUT',
        session: admin.session,
        json: { require2faRoles: ['admin'] },
      });
      expect((await call('/api/account/tokens', { bearer: doc.token })).status).toBe(200);
    });
  });

  describe('my account', () => {
    it('changes the password with the current one and signs out my other sessions', async () => {
      const u = await factory.signedIn('gita');
      const other = await login(api, u.email, u.password);
      expect((await call('/api/auth/me', { session: other.session })).status).toBe(200);
      const wrong = await call('/api/account/password', {
        method: 'POST',
        session: u.session,
        json: { currentPassword: 'nope nope nope', newPassword: 'a brand new passphrase' },
      });
      expect(wrong.status).toBe(422);
      const short = await call('/api/account/password', {
        method: 'POST',
        session: u.session,
        json: { currentPassword: u.password, newPassword: 'short' },
      });
      expect(short.status).toBe(422);
      expect((await json<{ errors: { path: string }[] }>(short)).errors[0]?.path).toBe('newPassword');
      const ok = await call('/api/account/password', {
        method: 'POST',
        session: u.session,
        json: { currentPassword: u.password, newPassword: 'a brand new passphrase' },
      });
      expect(ok.status).toBe(204);
      expect((await call('/api/auth/me', { session: other.session })).status).toBe(401);
      expect((await call('/api/auth/me', { session: u.session })).status).toBe(200);
      expect((await login(api, u.email, u.password)).res.status).toBe(401);
      expect((await login(api, u.email, 'a brand new passphrase')).res.status).toBe(200);
    });
  });

  describe('users and invitations', () => {
    it('lists users without secrets, and protects an admin from demoting themselves', async () => {
      const admin = await factory.signedIn('hana', { role: 'admin' });
      const res = await call('/api/users', { session: admin.session });
      const { items } = await json<{ items: Record<string, unknown>[] }>(res);
      expect(items.length).toBeGreaterThan(1);
      for (const item of items)
        expect(Object.keys(item).sort()).toEqual(
          ['active', 'createdAt', 'deactivatedAt', 'displayName', 'email', 'id', 'role', 'totpEnabled'].sort(),
        );
      const self = await call(`/api/users/${admin.id}`, {
        method: 'PATCH',
        session: admin.session,
        json: { role: 'reviewer' },
      });
      expect(self.status).toBe(409);
      expect(((await self.json()) as { type: string }).type).toBe('urn:corridor:problem:self-change');
      const selfOff = await call(`/api/users/${admin.id}`, {
        method: 'PATCH',
        session: admin.session,
        json: { active: false },
      });
      expect(selfOff.status).toBe(409);
      expect(
        (await call('/api/users/nope', { method: 'PATCH', session: admin.session, json: { active: false } })).status,
      ).toBe(404);
      expect((await call(`/api/users/${admin.id}`, { method: 'PATCH', session: admin.session, json: {} })).status).toBe(
        422,
      );
    });

    it('shows staff the directory of active accounts (id, name, role), never emails; a journalist gets 403', async () => {
      const admin = await factory.signedIn('dir-admin', { role: 'admin' });
      const documenter = await factory.signedIn('dir-documenter', { role: 'documenter' });
      const leaving = await factory.signedIn('dir-leaving', { role: 'reviewer' });
      const journalist = await factory.signedIn('dir-journalist', { role: 'journalist' });
      await call(`/api/users/${leaving.id}`, { method: 'PATCH', session: admin.session, json: { active: false } });

      const res = await call('/api/users/directory', { session: documenter.session });
      expect(res.status).toBe(200);
      const text = await res.clone().text();
      const { items } = await json<{ items: { id: string; displayName: string; role: string }[] }>(res);
      for (const item of items) expect(Object.keys(item).sort()).toEqual(['displayName', 'id', 'role']);
      const ids = items.map((i) => i.id);
      expect(ids).toEqual(expect.arrayContaining([admin.id, documenter.id, journalist.id]));
      expect(ids).not.toContain(leaving.id);
      expect(items.find((i) => i.id === documenter.id)).toEqual({
        id: documenter.id,
        displayName: 'dir-documenter',
        role: 'documenter',
      });
      expect(text).not.toContain('@');
      expect(text).not.toMatch(/email|totp/i);

      expect((await call('/api/users/directory', { session: journalist.session })).status).toBe(403);
      expect((await call('/api/users/directory')).status).toBe(401);
    });

    it('changes a role, with immediate effect and an audit entry', async () => {
      const admin = await factory.signedIn('ivan', { role: 'admin' });
      const u = await factory.signedIn('jade', { role: 'reviewer' });
      const res = await call(`/api/users/${u.id}`, {
        method: 'PATCH',
        session: admin.session,
        json: { role: 'coordinator' },
      });
      expect(await json(res)).toMatchObject({ role: 'coordinator' });
      expect(await json(await call('/api/auth/me', { session: u.session }))).toMatchObject({ role: 'coordinator' });
      const audit = await json<{ items: { action: string; actorId: string }[] }>(
        await call(`/api/audit?entityId=${u.id}&action=user.update`, { session: admin.session }),
      );
      expect(audit.items[0]).toMatchObject({ action: 'user.update', actorId: admin.id });
    });

    it('invites, shows the link status, accepts once, and audits each step', async () => {
      const admin = await factory.signedIn('kurt', { role: 'admin' });
      const created = await call('/api/users/invitations', {
        method: 'POST',
        session: admin.session,
        json: { email: 'New.Person@Example.org', role: 'journalist' },
      });
      expect(created.status).toBe(201);
      const inv = await json<{ id: string; token: string; expiresAt: string }>(created);
      const days = (Date.parse(inv.expiresAt) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.9);

      const pending = await json<{ items: { id: string; email: string }[] }>(
        await call('/api/users/invitations', { session: admin.session }),
      );
      expect(pending.items.find((i) => i.id === inv.id)?.email).toBe('new.person@example.org');
      expect(JSON.stringify(pending)).not.toContain(inv.token);

      const status = await call(`/api/invitations/${inv.token}`);
      expect(await json(status)).toEqual({
        valid: true,
        reason: null,
        kind: 'invite',
        email: 'new.person@example.org',
        role: 'journalist',
        expiresAt: inv.expiresAt,
      });
      const weak = await call(`/api/invitations/${inv.token}/accept`, {
        method: 'POST',
        json: { displayName: 'New Person', password: 'short' },
      });
      expect(weak.status).toBe(422);
      const otherEmail = await call(`/api/invitations/${inv.token}/accept`, {
        method: 'POST',
        json: { displayName: 'New Person', password: 'a good long password', email: 'other@example.org' },
      });
      expect(otherEmail.status).toBe(422);
      const accepted = await call(`/api/invitations/${inv.token}/accept`, {
        method: 'POST',
        json: { displayName: 'New Person', password: 'a good long password' },
      });
      expect(accepted.status).toBe(201);
      const user = await json<{ id: string; role: string }>(accepted);
      expect(user.role).toBe('journalist');
      const again = await call(`/api/invitations/${inv.token}/accept`, {
        method: 'POST',
        json: { displayName: 'Again', password: 'a good long password' },
      });
      expect(again.status).toBe(404);
      expect(await json(await call(`/api/invitations/${inv.token}`))).toMatchObject({ valid: false, reason: 'used' });
      expect((await login(api, 'new.person@example.org', 'a good long password')).res.status).toBe(200);

      const audit = await json<{ items: { action: string; entityId: string }[] }>(
        await call('/api/audit?limit=200', { session: admin.session }),
      );
      const actions = audit.items.map((e) => `${e.action} ${e.entityId}`);
      expect(actions).toContain(`invitation.create ${inv.id}`);
      expect(actions).toContain(`invitation.accept ${inv.id}`);
      expect(actions).toContain(`user.create ${user.id}`);
      expect(await json(await call('/api/audit/verify', { session: admin.session }))).toMatchObject({ ok: true });
    });

    it('refuses expired and revoked invitations, and invitations for existing accounts', async () => {
      const admin = await factory.signedIn('lars', { role: 'admin' });
      const mk = async (email: string) =>
        json<{ id: string; token: string }>(
          await call('/api/users/invitations', {
            method: 'POST',
            session: admin.session,
            json: { email, role: 'reviewer' },
          }),
        );
      const expired = await mk('late@example.org');
      await api.platform.database.db
        .updateTable('invitations')
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where('id', '=', expired.id)
        .execute();
      expect(await json(await call(`/api/invitations/${expired.token}`))).toMatchObject({
        valid: false,
        reason: 'expired',
      });
      const acc = await call(`/api/invitations/${expired.token}/accept`, {
        method: 'POST',
        json: { displayName: 'Late', password: 'a good long password' },
      });
      expect(acc.status).toBe(404);

      const revoked = await mk('gone@example.org');
      expect(
        (await call(`/api/users/invitations/${revoked.id}`, { method: 'DELETE', session: admin.session })).status,
      ).toBe(204);
      expect(
        (await call(`/api/users/invitations/${revoked.id}`, { method: 'DELETE', session: admin.session })).status,
      ).toBe(404);
      expect(await json(await call(`/api/invitations/${revoked.token}`))).toMatchObject({
        valid: false,
        reason: 'revoked',
      });

      const dup = await call('/api/users/invitations', {
        method: 'POST',
        session: admin.session,
        json: { email: admin.email, role: 'reviewer' },
      });
      expect(dup.status).toBe(409);
      expect(((await dup.json()) as { type: string }).type).toBe('urn:corridor:problem:email-taken');
      expect(await json(await call('/api/invitations/not-a-real-token'))).toMatchObject({
        valid: false,
        reason: 'unknown',
      });
    });
  });
});

describe.each(testDialects())('first start [%s]', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(dialect);
  });
  afterAll(() => api.close());

  it('creates the first admin from the setup link, once', async () => {
    const link = await api.platform.accounts.issueSetupLinkIfEmpty();
    expect(link).not.toBeNull();
    expect(await (await api.request(`/api/invitations/${link!.token}`)).json()).toMatchObject({
      valid: true,
      kind: 'setup',
      email: null,
      role: 'admin',
    });
    const noEmail = await api.request(`/api/invitations/${link!.token}/accept`, {
      method: 'POST',
      json: { displayName: 'First Admin', password: 'a good long password' },
    });
    expect(noEmail.status).toBe(422);
    const res = await api.request(`/api/invitations/${link!.token}/accept`, {
      method: 'POST',
      json: { displayName: 'First Admin', password: 'a good long password', email: 'first@example.org' },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ role: 'admin', email: 'first@example.org' });
    expect(await api.platform.accounts.issueSetupLinkIfEmpty()).toBeNull();
    const again = await api.request(`/api/invitations/${link!.token}/accept`, {
      method: 'POST',
      json: { displayName: 'Second', password: 'a good long password', email: 'second@example.org' },
    });
    expect(again.status).toBe(404);
    const first = await login(api, 'first@example.org', 'a good long password');
    expect(await first.res.json()).toMatchObject({ role: 'admin', pendingSecondFactor: true });
  });
});
