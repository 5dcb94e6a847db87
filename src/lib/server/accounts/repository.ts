import type { Db, Executor, SqlDialect, Tx } from '../db/index.js';
import type { Role } from '../http/access.js';

export interface UserRecord {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  passwordHash: string | null;
  totpSecret: string | null;
  totpEnabledAt: string | null;
  totpLastCounter: number | null;
  deactivatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
  secondFactorAt: string | null;
}

export interface ApiTokenRecord {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface InvitationRecord {
  id: string;
  kind: 'invite' | 'setup';
  email: string | null;
  role: Role;
  invitedBy: string | null;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
}

export interface ThrottleRecord {
  key: string;
  failures: number;
  windowStart: string;
  lockedUntil: string | null;
}

type UserRow = {
  id: string;
  email: string;
  display_name: string;
  role: string;
  password_hash: string | null;
  totp_secret: string | null;
  totp_enabled_at: string | null;
  totp_last_counter: number | null;
  deactivated_at: string | null;
  created_at: string;
  updated_at: string;
};

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  role: r.role as Role,
  passwordHash: r.password_hash,
  totpSecret: r.totp_secret,
  totpEnabledAt: r.totp_enabled_at,
  totpLastCounter: r.totp_last_counter === null ? null : Number(r.totp_last_counter),
  deactivatedAt: r.deactivated_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toInvitation = (r: {
  id: string;
  kind: string;
  email: string | null;
  role: string;
  invited_by: string | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}): InvitationRecord => ({
  id: r.id,
  kind: r.kind === 'setup' ? 'setup' : 'invite',
  email: r.email,
  role: r.role as Role,
  invitedBy: r.invited_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  acceptedAt: r.accepted_at,
  revokedAt: r.revoked_at,
});

const changed = (r: { numUpdatedRows?: bigint; numDeletedRows?: bigint }) =>
  Number(r.numUpdatedRows ?? r.numDeletedRows ?? 0n);

export class AccountsRepository {
  constructor(
    private readonly db: Db,
    private readonly dialect: SqlDialect,
  ) {}

  // Users

  async findUserById(id: string, ex: Executor = this.db): Promise<UserRecord | undefined> {
    const r = await ex.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toUser(r);
  }

  async findUserByEmail(email: string, ex: Executor = this.db): Promise<UserRecord | undefined> {
    const r = await ex.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    return r && toUser(r);
  }

  async listUsers(): Promise<UserRecord[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('email', 'asc').execute();
    return rows.map(toUser);
  }

  /** Active accounts, by name: only the columns the staff directory shows. */
  async listDirectory(): Promise<{ id: string; displayName: string; role: string }[]> {
    const rows = await this.db
      .selectFrom('users')
      .select(['id', 'display_name', 'role'])
      .where('deactivated_at', 'is', null)
      .orderBy('display_name', 'asc')
      .orderBy('id', 'asc')
      .execute();
    return rows.map((r) => ({ id: r.id, displayName: r.display_name, role: r.role }));
  }

  async countUsers(ex: Executor = this.db): Promise<number> {
    const r = await ex
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return this.dialect.toNumber(r.n);
  }

  /** Ids of active admins, row-locked on PostgreSQL so that two admins cannot demote each other at once. */
  async lockActiveAdmins(tx: Tx): Promise<string[]> {
    let q = tx.selectFrom('users').select('id').where('role', '=', 'admin').where('deactivated_at', 'is', null);
    if (this.dialect.supportsForUpdate) q = q.forUpdate();
    return (await q.execute()).map((r) => r.id);
  }

  async insertUser(tx: Tx, u: UserRecord): Promise<void> {
    await tx
      .insertInto('users')
      .values({
        id: u.id,
        email: u.email,
        display_name: u.displayName,
        role: u.role,
        password_hash: u.passwordHash,
        totp_secret: u.totpSecret,
        totp_enabled_at: u.totpEnabledAt,
        totp_last_counter: u.totpLastCounter,
        deactivated_at: u.deactivatedAt,
        created_at: u.createdAt,
        updated_at: u.updatedAt,
      })
      .execute();
  }

  async updateUser(
    tx: Tx,
    id: string,
    patch: Partial<
      Pick<
        UserRecord,
        'role' | 'passwordHash' | 'totpSecret' | 'totpEnabledAt' | 'totpLastCounter' | 'deactivatedAt' | 'updatedAt'
      >
    >,
  ): Promise<void> {
    await tx
      .updateTable('users')
      .set({
        ...(patch.role !== undefined && { role: patch.role }),
        ...(patch.passwordHash !== undefined && { password_hash: patch.passwordHash }),
        ...(patch.totpSecret !== undefined && { totp_secret: patch.totpSecret }),
        ...(patch.totpEnabledAt !== undefined && { totp_enabled_at: patch.totpEnabledAt }),
        ...(patch.totpLastCounter !== undefined && { totp_last_counter: patch.totpLastCounter }),
        ...(patch.deactivatedAt !== undefined && { deactivated_at: patch.deactivatedAt }),
        ...(patch.updatedAt !== undefined && { updated_at: patch.updatedAt }),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Claims a TOTP step atomically: false if that step (or a later one) was already used. */
  async claimTotpStep(tx: Tx, userId: string, step: number): Promise<boolean> {
    const r = await tx
      .updateTable('users')
      .set({ totp_last_counter: step })
      .where('id', '=', userId)
      .where((eb) => eb.or([eb('totp_last_counter', 'is', null), eb('totp_last_counter', '<', step)]))
      .executeTakeFirst();
    return changed(r) === 1;
  }

  // Sessions

  async insertSession(tx: Tx, s: SessionRecord): Promise<void> {
    await tx
      .insertInto('sessions')
      .values({
        id: s.id,
        user_id: s.userId,
        created_at: s.createdAt,
        expires_at: s.expiresAt,
        last_seen_at: s.lastSeenAt,
        second_factor_at: s.secondFactorAt,
      })
      .execute();
  }

  async findSession(id: string): Promise<{ session: SessionRecord; user: UserRecord } | undefined> {
    const s = await this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!s) return undefined;
    const user = await this.findUserById(s.user_id);
    if (!user) return undefined;
    return {
      session: {
        id: s.id,
        userId: s.user_id,
        createdAt: s.created_at,
        expiresAt: s.expires_at,
        lastSeenAt: s.last_seen_at,
        secondFactorAt: s.second_factor_at,
      },
      user,
    };
  }

  async touchSession(id: string, lastSeenAt: string, expiresAt: string): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ last_seen_at: lastSeenAt, expires_at: expiresAt })
      .where('id', '=', id)
      .execute();
  }

  async deleteSession(id: string, ex: Executor = this.db): Promise<number> {
    return changed(await ex.deleteFrom('sessions').where('id', '=', id).executeTakeFirst());
  }

  async deleteSessionsOfUser(tx: Tx, userId: string, exceptId?: string): Promise<number> {
    let q = tx.deleteFrom('sessions').where('user_id', '=', userId);
    if (exceptId) q = q.where('id', '!=', exceptId);
    return changed(await q.executeTakeFirst());
  }

  async markSessionSecondFactor(tx: Tx, id: string, at: string): Promise<void> {
    await tx.updateTable('sessions').set({ second_factor_at: at }).where('id', '=', id).execute();
  }

  async deleteExpiredSessions(tx: Tx, now: string): Promise<void> {
    await tx.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  }

  // API tokens

  async insertToken(tx: Tx, t: ApiTokenRecord, hash: string): Promise<void> {
    await tx
      .insertInto('api_tokens')
      .values({
        id: t.id,
        user_id: t.userId,
        name: t.name,
        token_hash: hash,
        created_at: t.createdAt,
        last_used_at: t.lastUsedAt,
        revoked_at: t.revokedAt,
      })
      .execute();
  }

  async findActiveTokenByHash(hash: string): Promise<{ token: ApiTokenRecord; user: UserRecord } | undefined> {
    const t = await this.db
      .selectFrom('api_tokens')
      .select(['id', 'user_id', 'name', 'created_at', 'last_used_at', 'revoked_at'])
      .where('token_hash', '=', hash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!t) return undefined;
    const user = await this.findUserById(t.user_id);
    if (!user) return undefined;
    return {
      token: {
        id: t.id,
        userId: t.user_id,
        name: t.name,
        createdAt: t.created_at,
        lastUsedAt: t.last_used_at,
        revokedAt: t.revoked_at,
      },
      user,
    };
  }

  async touchToken(id: string, at: string): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  async listActiveTokens(userId: string): Promise<ApiTokenRecord[]> {
    const rows = await this.db
      .selectFrom('api_tokens')
      .select(['id', 'user_id', 'name', 'created_at', 'last_used_at', 'revoked_at'])
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((t) => ({
      id: t.id,
      userId: t.user_id,
      name: t.name,
      createdAt: t.created_at,
      lastUsedAt: t.last_used_at,
      revokedAt: t.revoked_at,
    }));
  }

  async revokeToken(tx: Tx, userId: string, id: string, at: string): Promise<boolean> {
    const r = await tx
      .updateTable('api_tokens')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return changed(r) === 1;
  }

  async revokeTokensOfUser(tx: Tx, userId: string, at: string): Promise<number> {
    const r = await tx
      .updateTable('api_tokens')
      .set({ revoked_at: at })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return changed(r);
  }

  // Invitations

  async insertInvitation(tx: Tx, i: InvitationRecord, hash: string): Promise<void> {
    await tx
      .insertInto('invitations')
      .values({
        id: i.id,
        kind: i.kind,
        email: i.email,
        role: i.role,
        token_hash: hash,
        invited_by: i.invitedBy,
        created_at: i.createdAt,
        expires_at: i.expiresAt,
        accepted_at: i.acceptedAt,
        revoked_at: i.revokedAt,
      })
      .execute();
  }

  async findInvitationByHash(hash: string, ex: Executor = this.db): Promise<InvitationRecord | undefined> {
    const r = await ex
      .selectFrom('invitations')
      .select(['id', 'kind', 'email', 'role', 'invited_by', 'created_at', 'expires_at', 'accepted_at', 'revoked_at'])
      .where('token_hash', '=', hash)
      .executeTakeFirst();
    return r && toInvitation(r);
  }

  async listPendingInvitations(now: string): Promise<InvitationRecord[]> {
    const rows = await this.db
      .selectFrom('invitations')
      .select(['id', 'kind', 'email', 'role', 'invited_by', 'created_at', 'expires_at', 'accepted_at', 'revoked_at'])
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(toInvitation);
  }

  /** Revokes still-pending invitations matching the filter; returns the revoked ids. */
  async revokePending(
    tx: Tx,
    filter: { id: string } | { kind: 'setup' } | { email: string },
    at: string,
  ): Promise<string[]> {
    let q = tx
      .updateTable('invitations')
      .set({ revoked_at: at })
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null);
    if ('id' in filter) q = q.where('id', '=', filter.id);
    else if ('kind' in filter) q = q.where('kind', '=', filter.kind);
    else q = q.where('email', '=', filter.email).where('kind', '=', 'invite');
    const rows = await q.returning('id').execute();
    return rows.map((r) => r.id);
  }

  /** Marks an invitation used, only if it is still pending and unexpired: a link works exactly once. */
  async claimInvitation(tx: Tx, id: string, now: string): Promise<boolean> {
    const r = await tx
      .updateTable('invitations')
      .set({ accepted_at: now })
      .where('id', '=', id)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return changed(r) === 1;
  }

  // Login throttle

  async findThrottles(keys: string[]): Promise<ThrottleRecord[]> {
    if (keys.length === 0) return [];
    const rows = await this.db.selectFrom('auth_throttle').selectAll().where('key', 'in', keys).execute();
    return rows.map((r) => ({
      key: r.key,
      failures: Number(r.failures),
      windowStart: r.window_start,
      lockedUntil: r.locked_until,
    }));
  }

  /** Creates the row if needed and returns it locked for the rest of the transaction. */
  async lockThrottle(tx: Tx, key: string, now: string): Promise<ThrottleRecord> {
    await tx
      .insertInto('auth_throttle')
      .values({ key, failures: 0, window_start: now, locked_until: null })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    let q = tx.selectFrom('auth_throttle').selectAll().where('key', '=', key);
    if (this.dialect.supportsForUpdate) q = q.forUpdate();
    const r = await q.executeTakeFirstOrThrow();
    return { key: r.key, failures: Number(r.failures), windowStart: r.window_start, lockedUntil: r.locked_until };
  }

  async saveThrottle(tx: Tx, t: ThrottleRecord): Promise<void> {
    await tx
      .updateTable('auth_throttle')
      .set({ failures: t.failures, window_start: t.windowStart, locked_until: t.lockedUntil })
      .where('key', '=', t.key)
      .execute();
  }

  async deleteThrottle(key: string, ex: Executor = this.db): Promise<void> {
    await ex.deleteFrom('auth_throttle').where('key', '=', key).execute();
  }

  /** Forgets stale counters (they hold client addresses: keep them no longer than needed). */
  async purgeThrottles(tx: Tx, windowStartBefore: string, now: string): Promise<void> {
    await tx
      .deleteFrom('auth_throttle')
      .where('window_start', '<', windowStartBefore)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .execute();
  }

  // Settings

  async getSetting(key: string, ex: Executor = this.db): Promise<string | undefined> {
    const r = await ex.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return r?.value;
  }

  async putSetting(tx: Tx, key: string, value: string, at: string): Promise<void> {
    await tx
      .insertInto('settings')
      .values({ key, value, updated_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
      .execute();
  }
}
