import { expect, it } from 'vitest';
import { createAuditModule } from '../audit/index.js';
import { createLogger } from '../core/logger.js';
import { unitOfWork } from '../db/index.js';
import type { Actor } from '../http/access.js';
import { Problem } from '../http/problem.js';
import { totpCode } from '../testing/api.js';
import { describeEachDb, type DbContext } from '../testing/db.js';
import { createAccountsModule } from './index.js';
import { SecretBox } from './secrets.js';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, THROTTLE } from './service.js';

const SECRET = 'service-test-secret-0123456789abcdefghij';

function setup(ctx: DbContext) {
  const clock = { now: Date.now() };
  const { audit } = createAuditModule(ctx.handle.db, ctx.handle.dialect);
  const accounts = createAccountsModule({
    db: ctx.handle.db,
    dialect: ctx.handle.dialect,
    uow: unitOfWork(ctx.handle.db),
    audit,
    secret: SECRET,
    logger: createLogger('silent'),
    now: () => new Date(clock.now),
  });
  return { service: accounts.service, audit, clock, db: ctx.handle.db };
}

let seq = 0;
const email = (name: string) => `${name}.${++seq}@example.org`;
const PASSWORD = 'a long enough password';

async function problemOf(p: Promise<unknown>): Promise<Problem> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Problem) return err;
    throw err;
  }
  throw new Error('expected a problem');
}

describeEachDb('accounts service', (ctx) => {
  it('issues a setup link only while there are no accounts, and a new one revokes the old', async () => {
    const { service } = setup(ctx());
    const first = await service.issueSetupLinkIfEmpty();
    const second = await service.issueSetupLinkIfEmpty();
    expect(first?.token).toBeTruthy();
    expect(second?.token).not.toBe(first?.token);
    expect((await service.invitationStatus(first!.token)).reason).toBe('revoked');
    expect(await service.invitationStatus(second!.token)).toMatchObject({ valid: true, kind: 'setup', role: 'admin' });
    const hours = (Date.parse(second!.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
  });

  it('creates users with an argon2id hash, audits it, and closes the setup link', async () => {
    const { service, audit, db } = setup(ctx());
    const link = await service.issueSetupLinkIfEmpty();
    const user = await service.createUser(
      { email: email('Ada').toUpperCase(), role: 'admin', password: PASSWORD },
      null,
    );
    expect(user.email).toBe(user.email.toLowerCase());
    expect(user.displayName).toMatch(/^ada/);
    const row = await db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(user)).not.toContain(row.password_hash);
    expect(await service.countUsers()).toBeGreaterThan(0);
    expect(await service.issueSetupLinkIfEmpty()).toBeNull();
    if (link) expect((await service.invitationStatus(link.token)).valid).toBe(false);
    const [entry] = await audit.list({ limit: 50, action: 'user.create', entityId: user.id });
    expect(entry?.actorId).toBeNull();
    expect((await service.findUserByEmail(user.email))?.id).toBe(user.id);
  });

  it('refuses short passwords and duplicate emails', async () => {
    const { service } = setup(ctx());
    const short = await problemOf(
      service.createUser({ email: email('bo'), role: 'reviewer', password: 'short' }, null),
    );
    expect(short.status).toBe(422);
    expect(short.body().errors?.[0]?.path).toBe('password');
    const e = email('cy');
    await service.createUser({ email: e, role: 'reviewer', password: PASSWORD }, null);
    expect((await problemOf(service.createUser({ email: e, role: 'reviewer', password: PASSWORD }, null))).status).toBe(
      409,
    );
  });

  it('keeps TOTP secrets encrypted with a key that is not in the database', async () => {
    const { service, db } = setup(ctx());
    const u = await service.createUser({ email: email('di'), role: 'journalist', password: PASSWORD }, null);
    const actor: Actor = { userId: u.id, role: 'journalist', via: 'session', pendingSecondFactor: false };
    const { secret, uri } = await service.totpSetup(actor);
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    const row = await db.selectFrom('users').select('totp_secret').where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(row.totp_secret).toBeTruthy();
    expect(row.totp_secret).not.toContain(secret);
    expect(new SecretBox(SECRET, 'totp').open(row.totp_secret!, u.id)).toBe(secret);
    expect(() => new SecretBox('another-secret-0123456789abcdefghijk', 'totp').open(row.totp_secret!, u.id)).toThrow();
    // Bound to its owner: copied to another user's row, it does not decrypt.
    expect(() => new SecretBox(SECRET, 'totp').open(row.totp_secret!, 'someone-else')).toThrow();
  });

  it('accepts a TOTP code once only', async () => {
    const { service } = setup(ctx());
    const u = await service.createUser({ email: email('ed'), role: 'journalist', password: PASSWORD }, null);
    const actor: Actor = { userId: u.id, role: 'journalist', via: 'session', pendingSecondFactor: false };
    const { secret } = await service.totpSetup(actor);
    await service.totpEnable(actor, totpCode(secret));
    const code = totpCode(secret, 1);
    await service.login({ email: u.email, password: PASSWORD, totp: code }, {});
    const replay = await problemOf(service.login({ email: u.email, password: PASSWORD, totp: code }, {}));
    expect(replay.slug).toBe('totp-invalid');
    // An older window is refused too once a later one was used.
    expect(
      (await problemOf(service.login({ email: u.email, password: PASSWORD, totp: totpCode(secret) }, {}))).slug,
    ).toBe('totp-invalid');
  });

  it('locks an account after repeated failures, and lets it in again after the window', async () => {
    const { service, clock } = setup(ctx());
    clock.now = Date.now();
    const u = await service.createUser({ email: email('fay'), role: 'documenter', password: PASSWORD }, null);
    for (let i = 0; i < THROTTLE.account.limit; i++)
      expect((await problemOf(service.login({ email: u.email, password: 'wrong password!' }, {}))).status).toBe(401);
    const locked = await problemOf(service.login({ email: u.email, password: PASSWORD }, {}));
    expect(locked.status).toBe(429);
    expect(Number(locked.extra.headers?.['retry-after'])).toBeGreaterThan(800);
    clock.now += THROTTLE.account.windowMs + 1000;
    expect((await service.login({ email: u.email, password: PASSWORD }, {})).me.id).toBe(u.id);
    clock.now = Date.now();
  });

  it('expires sessions after idle time and after the absolute limit', async () => {
    const { service, clock } = setup(ctx());
    const start = Date.now();
    clock.now = start;
    const u = await service.createUser({ email: email('gus'), role: 'documenter', password: PASSWORD }, null);
    const idle = await service.login({ email: u.email, password: PASSWORD }, {});
    clock.now = start + SESSION_IDLE_MS + 1000;
    expect(await service.authenticateSession(idle.token)).toBeNull();

    clock.now = start;
    const active = await service.login({ email: u.email, password: PASSWORD }, {});
    // Seen every 11 hours: the idle limit slides, the absolute one does not.
    for (let t = start; t < start + SESSION_ABSOLUTE_MS - 11 * 3_600_000; t += 11 * 3_600_000) {
      clock.now = t;
      expect(await service.authenticateSession(active.token)).not.toBeNull();
    }
    clock.now = start + SESSION_ABSOLUTE_MS + 1000;
    expect(await service.authenticateSession(active.token)).toBeNull();
    clock.now = Date.now();
  });

  it('never lets the last active admin be demoted or deactivated', async () => {
    const { service } = setup(ctx());
    const rows = await service.listUsers();
    for (const r of rows.filter((r) => r.role === 'admin' && r.active))
      await ctx().handle.db.updateTable('users').set({ role: 'documenter' }).where('id', '=', r.id).execute();
    const admin = await service.createUser({ email: email('hal'), role: 'admin', password: PASSWORD }, null);
    const system: Actor = { userId: 'system', role: 'admin', via: 'token', pendingSecondFactor: false };
    const demote = await problemOf(service.updateUser(system, admin.id, { role: 'reviewer' }));
    expect(demote.status).toBe(409);
    expect(demote.slug).toBe('last-admin');
    expect((await problemOf(service.updateUser(system, admin.id, { active: false }))).status).toBe(409);
    const other = await service.createUser({ email: email('ida'), role: 'admin', password: PASSWORD }, null);
    expect((await service.updateUser(system, admin.id, { active: false })).active).toBe(false);
    expect((await problemOf(service.updateUser(system, other.id, { role: 'journalist' }))).status).toBe(409);
  });
});
