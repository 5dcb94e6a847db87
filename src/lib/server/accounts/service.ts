import type { AuditLog } from '../audit/index.js';
import { newId } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import type { Tx, UnitOfWork } from '../db/index.js';
import { isRole, type Actor, type Role } from '../http/access.js';
import { Problem, problems, zodErrors } from '../http/problem.js';
import type { AccountsRepository, ThrottleRecord, UserRecord } from './repository.js';
import {
  CreateUserSchema,
  type AcceptInvitationInput,
  type ChangePasswordInput,
  type CreatedApiToken,
  type CreatedInvitation,
  type CreateInvitationInput,
  type CreateUserInput,
  type DirectoryEntry,
  type InvitationStatus,
  type InvitationView,
  type LoginInput,
  type Me,
  type SecuritySettings,
  type TotpSetup,
  type UpdateUserInput,
  type UserView,
  type ApiTokenView,
} from './schema.js';
import { DummyVerifier, hashPassword, randomToken, SecretBox, tokenHash, verifyPassword } from './secrets.js';
import { newTotpSecret, totpStep, totpUri } from './totp.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const SESSION_COOKIE = 'corridor_session';
export const API_TOKEN_PREFIX = 'cor_';
export const SESSION_IDLE_MS = 12 * HOUR;
export const SESSION_ABSOLUTE_MS = 7 * DAY;
/** Sliding expiry and token use are written at most this often, not on every request. */
const TOUCH_EVERY_MS = MINUTE;
const INVITATION_TTL_MS = 7 * DAY;
const SETUP_TTL_MS = DAY;

export const THROTTLE = {
  account: { limit: 5, windowMs: 15 * MINUTE },
  ip: { limit: 20, windowMs: 15 * MINUTE },
} as const;

export const REQUIRE_2FA_KEY = 'security.require2faRoles';
const DEFAULT_REQUIRE_2FA: Role[] = ['admin'];

export const loginProblems = {
  invalid: () => new Problem(401, 'invalid-credentials', 'The email or password is incorrect.'),
  totpRequired: () => new Problem(401, 'totp-required', 'Enter the 6-digit code from your authenticator app.'),
  totpInvalid: () => new Problem(401, 'totp-invalid', 'The code is incorrect or was already used.'),
};
const invitationInvalid = () =>
  new Problem(404, 'invitation-invalid', 'This link is invalid, has expired or has already been used.');

export interface AccountsServiceDeps {
  repo: AccountsRepository;
  uow: UnitOfWork;
  audit: AuditLog;
  secret: string;
  logger: Logger;
  /** Injectable clock for expiry tests. */
  now?: () => Date;
}

export interface LoginResult {
  /** The session cookie value; only its SHA-256 is stored. */
  token: string;
  expiresAt: string;
  me: Me;
}

export function toUserView(u: UserRecord): UserView {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    role: u.role,
    totpEnabled: u.totpEnabledAt !== null,
    active: u.deactivatedAt === null,
    deactivatedAt: u.deactivatedAt,
    createdAt: u.createdAt,
  };
}

const validation = (path: string, message: string) => problems.validation([{ path, message }]);

export class AccountsService {
  private readonly repo: AccountsRepository;
  private readonly uow: UnitOfWork;
  private readonly audit: AuditLog;
  private readonly log: Logger;
  private readonly clock: () => Date;
  private readonly totpBox: SecretBox;
  private readonly dummy = new DummyVerifier();

  constructor(deps: AccountsServiceDeps) {
    this.repo = deps.repo;
    this.uow = deps.uow;
    this.audit = deps.audit;
    this.log = deps.logger;
    this.clock = deps.now ?? (() => new Date());
    this.totpBox = new SecretBox(deps.secret, 'totp');
  }

  private nowMs(): number {
    return this.clock().getTime();
  }

  private iso(ms = this.nowMs()): string {
    return new Date(ms).toISOString();
  }

  // Users, for the CLI and the first start

  countUsers(): Promise<number> {
    return this.repo.countUsers();
  }

  async findUserByEmail(email: string): Promise<UserView | undefined> {
    const u = await this.repo.findUserByEmail(email.trim().toLowerCase());
    return u && toUserView(u);
  }

  /** Creates an account directly (CLI, tests). `actorId` null means the system. */
  async createUser(input: CreateUserInput, actorId: string | null): Promise<UserView> {
    const parsed = CreateUserSchema.safeParse(input);
    if (!parsed.success) throw problems.validation(zodErrors(parsed.error));
    const { email, role, password } = parsed.data;
    const displayName = parsed.data.displayName ?? email.split('@')[0] ?? email;
    const passwordHash = await hashPassword(password);
    return this.uow.run(async (tx) => {
      if (await this.repo.findUserByEmail(email, tx))
        throw new Problem(409, 'email-taken', 'An account with this email already exists.');
      const now = this.iso();
      const user: UserRecord = {
        id: newId(),
        email,
        displayName,
        role,
        passwordHash,
        totpSecret: null,
        totpEnabledAt: null,
        totpLastCounter: null,
        deactivatedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      await this.repo.insertUser(tx, user);
      await this.audit.record(tx, {
        actorId,
        action: 'user.create',
        entityType: 'user',
        entityId: user.id,
        change: { email, displayName, role },
      });
      // Once an account exists, an outstanding first-start link must not mint another admin.
      await this.revokeSetupLinks(tx, actorId);
      return toUserView(user);
    });
  }

  /** On start: with no accounts yet, a fresh one-time link to create the first admin (older ones are revoked). */
  async issueSetupLinkIfEmpty(): Promise<{ token: string; expiresAt: string } | null> {
    return this.uow.run(async (tx) => {
      if ((await this.repo.countUsers(tx)) > 0) return null;
      await this.revokeSetupLinks(tx, null);
      const token = randomToken();
      const now = this.nowMs();
      const inv = {
        id: newId(),
        kind: 'setup' as const,
        email: null,
        role: 'admin' as const,
        invitedBy: null,
        createdAt: this.iso(now),
        expiresAt: this.iso(now + SETUP_TTL_MS),
        acceptedAt: null,
        revokedAt: null,
      };
      await this.repo.insertInvitation(tx, inv, tokenHash(token));
      await this.audit.record(tx, {
        actorId: null,
        action: 'invitation.create',
        entityType: 'invitation',
        entityId: inv.id,
        change: { kind: 'setup', role: 'admin', expiresAt: inv.expiresAt },
      });
      return { token, expiresAt: inv.expiresAt };
    });
  }

  private async revokeSetupLinks(tx: Tx, actorId: string | null) {
    for (const id of await this.repo.revokePending(tx, { kind: 'setup' }, this.iso()))
      await this.audit.record(tx, {
        actorId,
        action: 'invitation.revoke',
        entityType: 'invitation',
        entityId: id,
        change: {},
      });
  }

  /** For the CLI: a personal API token for the account with this email. */
  async createApiToken(email: string, name: string): Promise<CreatedApiToken> {
    const user = await this.repo.findUserByEmail(email.trim().toLowerCase());
    if (!user || user.deactivatedAt) throw problems.notFound('No active account has this email.');
    return this.insertToken(user.id, name, null);
  }

  // Two-factor policy

  async require2faRoles(): Promise<Role[]> {
    const raw = await this.repo.getSetting(REQUIRE_2FA_KEY);
    let roles = DEFAULT_REQUIRE_2FA;
    if (raw !== undefined) {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (Array.isArray(parsed)) roles = parsed.filter((r): r is Role => typeof r === 'string' && isRole(r));
      } catch {
        this.log.error({ key: REQUIRE_2FA_KEY }, 'unreadable setting: using the default');
      }
    }
    // Admins always need a second factor, whatever the stored value says.
    return roles.includes('admin') ? roles : ['admin', ...roles];
  }

  async getSecuritySettings(): Promise<SecuritySettings> {
    return { require2faRoles: await this.require2faRoles() };
  }

  async updateSecuritySettings(actor: Actor, input: { require2faRoles: Role[] }): Promise<SecuritySettings> {
    const roles = [...new Set<Role>(['admin', ...input.require2faRoles])];
    await this.uow.run(async (tx) => {
      await this.repo.putSetting(tx, REQUIRE_2FA_KEY, JSON.stringify(roles), this.iso());
      await this.audit.record(tx, {
        actorId: actor.userId,
        action: 'settings.update',
        entityType: 'setting',
        entityId: REQUIRE_2FA_KEY,
        change: { require2faRoles: roles },
      });
    });
    return { require2faRoles: roles };
  }

  // Login throttle

  /**
   * Counts the attempt before checking the password, under a row lock, so parallel guesses cannot slip past the
   * limit. Refuses with 429 while a key is locked.
   */
  private async reserveAttempt(keys: { key: string; limit: number; windowMs: number }[]): Promise<void> {
    const now = this.nowMs();
    const retryAfter = await this.uow.run(async (tx) => {
      await this.repo.purgeThrottles(tx, this.iso(now - THROTTLE.account.windowMs), this.iso(now));
      const rows: ThrottleRecord[] = [];
      let wait = 0;
      for (const k of keys) {
        const row = await this.repo.lockThrottle(tx, k.key, this.iso(now));
        if (row.lockedUntil && Date.parse(row.lockedUntil) > now)
          wait = Math.max(wait, Date.parse(row.lockedUntil) - now);
        rows.push(row);
      }
      if (wait > 0) return wait;
      for (const [i, k] of keys.entries()) {
        const row = rows[i]!;
        if (Date.parse(row.windowStart) + k.windowMs <= now) {
          row.failures = 0;
          row.windowStart = this.iso(now);
          row.lockedUntil = null;
        }
        row.failures += 1;
        if (row.failures >= k.limit) row.lockedUntil = this.iso(now + k.windowMs);
        await this.repo.saveThrottle(tx, row);
      }
      return 0;
    });
    if (retryAfter > 0) throw problems.tooManyRequests(Math.max(1, Math.ceil(retryAfter / 1000)));
  }

  /** Gives back a reserved attempt that turned out not to be a failure. */
  private async releaseAttempt(keys: { key: string; limit: number }[]): Promise<void> {
    const now = this.nowMs();
    await this.uow.run(async (tx) => {
      for (const k of keys) {
        const row = await this.repo.lockThrottle(tx, k.key, this.iso(now));
        row.failures = Math.max(0, row.failures - 1);
        if (row.failures < k.limit) row.lockedUntil = null;
        await this.repo.saveThrottle(tx, row);
      }
    });
  }

  private throttleKeys(email: string, ip: string | undefined) {
    const keys: { key: string; limit: number; windowMs: number }[] = [{ key: `email:${email}`, ...THROTTLE.account }];
    if (ip) keys.push({ key: `ip:${ip}`, ...THROTTLE.ip });
    return keys;
  }

  // Sessions

  async login(input: LoginInput, ctx: { ip?: string; previousSessionToken?: string }): Promise<LoginResult> {
    const email = input.email.trim().toLowerCase();
    const keys = this.throttleKeys(email, ctx.ip);
    await this.reserveAttempt(keys);

    const user = await this.repo.findUserByEmail(email);
    let ok = false;
    if (user?.passwordHash && !user.deactivatedAt) ok = await verifyPassword(user.passwordHash, input.password);
    else await this.dummy.run(input.password);
    if (!user || !ok) {
      this.log.warn({ email, ip: ctx.ip, reason: 'password' }, 'login failed');
      throw loginProblems.invalid();
    }

    let secondFactorAt: string | null = null;
    if (user.totpEnabledAt) {
      if (!input.totp) {
        // The password was right: not a failure, but not a success either (no reset), or codes could be guessed forever.
        await this.releaseAttempt(keys);
        throw loginProblems.totpRequired();
      }
      const step = this.totpStepFor(user, input.totp);
      const claimed = step !== null && (await this.uow.run((tx) => this.repo.claimTotpStep(tx, user.id, step)));
      if (!claimed) {
        this.log.warn({ email, ip: ctx.ip, reason: 'totp' }, 'login failed');
        throw loginProblems.totpInvalid();
      }
      secondFactorAt = this.iso();
    }

    await this.repo.deleteThrottle(`email:${email}`);
    if (ctx.ip) await this.releaseAttempt([{ key: `ip:${ctx.ip}`, limit: THROTTLE.ip.limit }]);

    const token = randomToken();
    const now = this.nowMs();
    const session = {
      id: tokenHash(token),
      userId: user.id,
      createdAt: this.iso(now),
      expiresAt: this.iso(now + Math.min(SESSION_IDLE_MS, SESSION_ABSOLUTE_MS)),
      lastSeenAt: this.iso(now),
      secondFactorAt,
    };
    await this.uow.run(async (tx) => {
      // A sign-in replaces the browser's previous session rather than leaving it alive.
      if (ctx.previousSessionToken) await this.repo.deleteSession(tokenHash(ctx.previousSessionToken), tx);
      await this.repo.deleteExpiredSessions(tx, session.createdAt);
      await this.repo.insertSession(tx, session);
      await this.audit.record(tx, {
        actorId: user.id,
        action: 'auth.login',
        entityType: 'user',
        entityId: user.id,
        change: { secondFactor: secondFactorAt !== null },
      });
    });
    const pending = secondFactorAt === null && (await this.require2faRoles()).includes(user.role);
    return {
      token,
      expiresAt: this.iso(now + SESSION_ABSOLUTE_MS),
      me: this.toMe(user, pending),
    };
  }

  async authenticateSession(token: string): Promise<Actor | null> {
    const found = await this.repo.findSession(tokenHash(token));
    if (!found) return null;
    const { session, user } = found;
    if (!isRole(user.role)) return null;
    const now = this.nowMs();
    const absoluteEnd = Date.parse(session.createdAt) + SESSION_ABSOLUTE_MS;
    if (user.deactivatedAt || Date.parse(session.expiresAt) <= now || absoluteEnd <= now) {
      await this.repo.deleteSession(session.id);
      return null;
    }
    if (now - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS)
      await this.repo.touchSession(session.id, this.iso(now), this.iso(Math.min(now + SESSION_IDLE_MS, absoluteEnd)));
    const pending = session.secondFactorAt === null && (await this.require2faRoles()).includes(user.role);
    return { userId: user.id, role: user.role, via: 'session', sessionId: session.id, pendingSecondFactor: pending };
  }

  async authenticateToken(token: string): Promise<Actor | null> {
    if (!token.startsWith(API_TOKEN_PREFIX)) return null;
    const found = await this.repo.findActiveTokenByHash(tokenHash(token));
    if (!found || found.user.deactivatedAt || !isRole(found.user.role)) return null;
    const now = this.nowMs();
    if (!found.token.lastUsedAt || now - Date.parse(found.token.lastUsedAt) >= TOUCH_EVERY_MS)
      await this.repo.touchToken(found.token.id, this.iso(now));
    const { user } = found;
    // Tokens are made by fully signed-in users; this still holds if the role gained a 2FA duty since.
    const pending = user.totpEnabledAt === null && (await this.require2faRoles()).includes(user.role);
    return { userId: user.id, role: user.role, via: 'token', pendingSecondFactor: pending };
  }

  async logout(actor: Actor): Promise<void> {
    const sessionId = actor.sessionId;
    if (!sessionId) return;
    await this.uow.run(async (tx) => {
      if ((await this.repo.deleteSession(sessionId, tx)) === 0) return;
      await this.audit.record(tx, {
        actorId: actor.userId,
        action: 'auth.logout',
        entityType: 'user',
        entityId: actor.userId,
        change: {},
      });
    });
  }

  private toMe(u: UserRecord, pendingSecondFactor: boolean): Me {
    return {
      id: u.id,
      email: u.email,
      displayName: u.displayName,
      role: u.role,
      totpEnabled: u.totpEnabledAt !== null,
      pendingSecondFactor,
    };
  }

  private async currentUser(actor: Actor): Promise<UserRecord> {
    const u = await this.repo.findUserById(actor.userId);
    if (!u || u.deactivatedAt) throw problems.unauthenticated();
    return u;
  }

  async me(actor: Actor): Promise<Me> {
    return this.toMe(await this.currentUser(actor), actor.pendingSecondFactor);
  }

  // My account

  /** Checks the current password for a sensitive change; failures count against the account's login limit. */
  private async confirmPassword(user: UserRecord, password: string, field: string): Promise<void> {
    const keys = this.throttleKeys(user.email, undefined);
    await this.reserveAttempt(keys);
    if (!user.passwordHash || !(await verifyPassword(user.passwordHash, password))) {
      this.log.warn({ userId: user.id, reason: 'password-confirm' }, 'password confirmation failed');
      throw validation(field, 'The password is incorrect.');
    }
    await this.repo.deleteThrottle(keys[0]!.key);
  }

  async changePassword(actor: Actor, input: ChangePasswordInput): Promise<void> {
    const user = await this.currentUser(actor);
    await this.confirmPassword(user, input.currentPassword, 'currentPassword');
    const passwordHash = await hashPassword(input.newPassword);
    await this.uow.run(async (tx) => {
      await this.repo.updateUser(tx, user.id, { passwordHash, updatedAt: this.iso() });
      const revoked = await this.repo.deleteSessionsOfUser(tx, user.id, actor.sessionId);
      await this.audit.record(tx, {
        actorId: actor.userId,
        action: 'user.password.change',
        entityType: 'user',
        entityId: user.id,
        change: { otherSessionsRevoked: revoked },
      });
    });
  }

  private totpStepFor(user: UserRecord, code: string): number | null {
    if (!user.totpSecret) return null;
    let secret: string;
    try {
      secret = this.totpBox.open(user.totpSecret, user.id);
    } catch (err) {
      this.log.error({ err, userId: user.id }, 'TOTP secret cannot be decrypted (was the instance secret changed?)');
      return null;
    }
    return totpStep(secret, code, this.nowMs());
  }

  /**
   * Enrolment needs a browser session: otherwise a leaked token of a user who must use 2FA could enrol a second
   * factor of its holder's choosing and lift its own restriction.
   */
  private requireSession(actor: Actor): void {
    if (actor.via !== 'session')
      throw new Problem(403, 'session-required', 'Do this from a signed-in browser session.');
  }

  async totpSetup(actor: Actor): Promise<TotpSetup> {
    this.requireSession(actor);
    const user = await this.currentUser(actor);
    if (user.totpEnabledAt) throw problems.conflict('Two-factor authentication is already on. Turn it off first.');
    const secret = newTotpSecret();
    await this.uow.run(async (tx) => {
      await this.repo.updateUser(tx, user.id, {
        totpSecret: this.totpBox.seal(secret, user.id),
        totpLastCounter: null,
        updatedAt: this.iso(),
      });
      await this.audit.record(tx, {
        actorId: actor.userId,
        action: 'user.totp.setup',
        entityType: 'user',
        entityId: user.id,
        change: {},
      });
    });
    return { secret, uri: totpUri(secret, user.email) };
  }

  async totpEnable(actor: Actor, code: string): Promise<Me> {
    this.requireSession(actor);
    const user = await this.currentUser(actor);
    if (user.totpEnabledAt) throw problems.conflict('Two-factor authentication is already on.');
    if (!user.totpSecret) throw problems.conflict('Start the setup first.');
    const step = this.totpStepFor(user, code);
    if (step === null) throw validation('code', 'The code is incorrect. Check the time on your device.');
    const sessionId = actor.sessionId;
    await this.uow.run(async (tx) => {
      if (!(await this.repo.claimTotpStep(tx, user.id, step))) throw validation('code', 'This code was already used.');
      const now = this.iso();
      await this.repo.updateUser(tx, user.id, { totpEnabledAt: now, updatedAt: now });
      // Proving the second factor here upgrades the session that did it.
      if (sessionId) await this.repo.markSessionSecondFactor(tx, sessionId, now);
      await this.audit.record(tx, {
        actorId: actor.userId,
        action: 'user.totp.enable',
        entityType: 'user',
        entityId: user.id,
        change: {},
      });
    });
    return this.toMe({ ...user, totpEnabledAt: this.iso() }, false);
  }

  async totpDisable(actor: Actor, input: { password: string; code: string }): Promise<void> {
    const user = await this.currentUser(actor);
    if (!user.totpEnabledAt) throw problems.conflict('Two-factor authentication is not on.');
    if ((await this.require2faRoles()).includes(user.role))
      throw problems.conflict('Your role requires two-factor authentication; it cannot be turned off.');
    await this.confirmPassword(user, input.password, 'password');
    const step = this.totpStepFor(user, input.code);
    await this.uow.run(async (tx) => {
      if (step === null || !(await this.repo.claimTotpStep(tx, user.id, step)))
        throw validation('code', 'The code is incorrect or was already used.');
      await this.repo.updateUser(tx, user.id, {
        totpSecret: null,
        totpEnabledAt: null,
        totpLastCounter: null,
        updatedAt: this.iso(),
      });
      await this.audit.record(tx, {
        actorId: actor.userId,
        action: 'user.totp.disable',
        entityType: 'user',
        entityId: user.id,
        change: {},
      });
    });
  }

  // API tokens

  async listTokens(actor: Actor): Promise<ApiTokenView[]> {
    const rows = await this.repo.listActiveTokens(actor.userId);
    return rows.map((t) => ({ id: t.id, name: t.name, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt }));
  }

  async createToken(actor: Actor, name: string): Promise<CreatedApiToken> {
    // A leaked token must not be able to mint itself successors.
    this.requireSession(actor);
    return this.insertToken(actor.userId, name, actor.userId);
  }

  private async insertToken(userId: string, name: string, actorId: string | null): Promise<CreatedApiToken> {
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 100) throw validation('name', 'Give a name of 1 to 100 characters.');
    const token = randomToken(API_TOKEN_PREFIX);
    const record = { id: newId(), userId, name: trimmed, createdAt: this.iso(), lastUsedAt: null, revokedAt: null };
    await this.uow.run(async (tx) => {
      await this.repo.insertToken(tx, record, tokenHash(token));
      await this.audit.record(tx, {
        actorId,
        action: 'token.create',
        entityType: 'api_token',
        entityId: record.id,
        change: { userId, name: trimmed },
      });
    });
    return { id: record.id, name: record.name, createdAt: record.createdAt, lastUsedAt: null, token };
  }

  async revokeToken(actor: Actor, id: string): Promise<void> {
    await this.uow.run(async (tx) => {
      if (!(await this.repo.revokeToken(tx, actor.userId, id, this.iso())))
        throw problems.notFound('You have no active token with this id.');
      await this.audit.record(tx, {
        actorId: actor.userId,
        action: 'token.revoke',
        entityType: 'api_token',
        entityId: id,
        change: {},
      });
    });
  }

  // Users (admin)

  async listUsers(): Promise<UserView[]> {
    return (await this.repo.listUsers()).map(toUserView);
  }

  /** Staff's view of each other (active accounts: id, name, role), for pickers and histories. */
  async directory(): Promise<DirectoryEntry[]> {
    return (await this.repo.listDirectory()).map((u) => ({ ...u, role: u.role as Role }));
  }

  async updateUser(actor: Actor, id: string, input: UpdateUserInput): Promise<UserView> {
    return this.uow.run(async (tx) => {
      const user = await this.repo.findUserById(id, tx);
      if (!user) throw problems.notFound('No such user.');
      const role = input.role ?? user.role;
      const active = input.active ?? user.deactivatedAt === null;
      const roleChanged = role !== user.role;
      const activeChanged = active !== (user.deactivatedAt === null);
      if (!roleChanged && !activeChanged) return toUserView(user);

      const losesAdmin = user.role === 'admin' && user.deactivatedAt === null && (role !== 'admin' || !active);
      if (losesAdmin && user.id === actor.userId)
        throw new Problem(409, 'self-change', 'You cannot demote or deactivate yourself. Ask another admin.');
      if (losesAdmin) {
        const admins = await this.repo.lockActiveAdmins(tx);
        if (admins.filter((a) => a !== user.id).length === 0)
          throw new Problem(409, 'last-admin', 'This is the last active admin: promote someone else first.');
      }

      const now = this.iso();
      const deactivatedAt = active ? null : (user.deactivatedAt ?? now);
      await this.repo.updateUser(tx, user.id, { role, deactivatedAt, updatedAt: now });
      if (!active) {
        // Deactivation takes effect at once: no session or token survives it.
        await this.repo.deleteSessionsOfUser(tx, user.id);
        await this.repo.revokeTokensOfUser(tx, user.id, now);
      }
      await this.audit.record(tx, {
        actorId: actor.userId,
        action: 'user.update',
        entityType: 'user',
        entityId: user.id,
        change: {
          ...(roleChanged && { role: { from: user.role, to: role } }),
          ...(activeChanged && { active }),
        },
      });
      return toUserView({ ...user, role, deactivatedAt, updatedAt: now });
    });
  }

  // Invitations

  async listInvitations(): Promise<InvitationView[]> {
    const rows = await this.repo.listPendingInvitations(this.iso());
    return rows.map((i) => ({
      id: i.id,
      kind: i.kind,
      email: i.email,
      role: i.role,
      invitedBy: i.invitedBy,
      createdAt: i.createdAt,
      expiresAt: i.expiresAt,
    }));
  }

  async createInvitation(actor: Actor, input: CreateInvitationInput): Promise<CreatedInvitation> {
    const token = randomToken();
    const now = this.nowMs();
    const inv = {
      id: newId(),
      kind: 'invite' as const,
      email: input.email,
      role: input.role,
      invitedBy: actor.userId,
      createdAt: this.iso(now),
      expiresAt: this.iso(now + INVITATION_TTL_MS),
      acceptedAt: null,
      revokedAt: null,
    };
    await this.uow.run(async (tx) => {
      if (await this.repo.findUserByEmail(input.email, tx))
        throw new Problem(409, 'email-taken', 'An account with this email already exists.');
      // One live link per address: a new invitation replaces the previous one.
      for (const old of await this.repo.revokePending(tx, { email: input.email }, inv.createdAt))
        await this.audit.record(tx, {
          actorId: actor.userId,
          action: 'invitation.revoke',
          entityType: 'invitation',
          entityId: old,
          change: { replacedBy: inv.id },
        });
      await this.repo.insertInvitation(tx, inv, tokenHash(token));
      await this.audit.record(tx, {
        actorId: actor.userId,
        action: 'invitation.create',
        entityType: 'invitation',
        entityId: inv.id,
        change: { kind: 'invite', email: inv.email, role: inv.role, expiresAt: inv.expiresAt },
      });
    });
    return { id: inv.id, token, expiresAt: inv.expiresAt };
  }

  async revokeInvitation(actor: Actor, id: string): Promise<void> {
    await this.uow.run(async (tx) => {
      const revoked = await this.repo.revokePending(tx, { id }, this.iso());
      if (revoked.length === 0) throw problems.notFound('No pending invitation has this id.');
      await this.audit.record(tx, {
        actorId: actor.userId,
        action: 'invitation.revoke',
        entityType: 'invitation',
        entityId: id,
        change: {},
      });
    });
  }

  async invitationStatus(token: string): Promise<InvitationStatus> {
    const inv = await this.repo.findInvitationByHash(tokenHash(token));
    if (!inv) return { valid: false, reason: 'unknown', kind: null, email: null, role: null, expiresAt: null };
    const reason = inv.acceptedAt
      ? 'used'
      : inv.revokedAt
        ? 'revoked'
        : Date.parse(inv.expiresAt) <= this.nowMs()
          ? 'expired'
          : null;
    return {
      valid: reason === null,
      reason,
      kind: inv.kind,
      email: inv.email,
      role: inv.role,
      expiresAt: inv.expiresAt,
    };
  }

  async acceptInvitation(token: string, input: AcceptInvitationInput): Promise<UserView> {
    const hash = tokenHash(token);
    const peek = await this.repo.findInvitationByHash(hash);
    if (!peek) throw invitationInvalid();
    const email = peek.kind === 'setup' ? input.email : peek.email;
    if (!email) throw validation('email', 'Choose the email address for the first admin account.');
    if (peek.kind === 'invite' && input.email !== undefined && input.email !== email)
      throw validation('email', 'This invitation is for another email address.');
    const passwordHash = await hashPassword(input.password);

    return this.uow.run(async (tx) => {
      const inv = await this.repo.findInvitationByHash(hash, tx);
      if (!inv) throw invitationInvalid();
      const now = this.iso();
      if (!(await this.repo.claimInvitation(tx, inv.id, now))) throw invitationInvalid();
      if (inv.kind === 'setup' && (await this.repo.countUsers(tx)) > 0)
        throw problems.conflict('Corridor already has accounts: ask an admin for an invitation.');
      if (await this.repo.findUserByEmail(email, tx))
        throw new Problem(409, 'email-taken', 'An account with this email already exists.');
      const role: Role = inv.kind === 'setup' ? 'admin' : inv.role;
      const user: UserRecord = {
        id: newId(),
        email,
        displayName: input.displayName,
        role,
        passwordHash,
        totpSecret: null,
        totpEnabledAt: null,
        totpLastCounter: null,
        deactivatedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      await this.repo.insertUser(tx, user);
      await this.audit.record(tx, {
        actorId: user.id,
        action: 'invitation.accept',
        entityType: 'invitation',
        entityId: inv.id,
        change: { userId: user.id },
      });
      await this.audit.record(tx, {
        actorId: user.id,
        action: 'user.create',
        entityType: 'user',
        entityId: user.id,
        change: { email, displayName: user.displayName, role, invitation: inv.id },
      });
      return toUserView(user);
    });
  }
}
