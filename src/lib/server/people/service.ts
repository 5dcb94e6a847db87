import type { AuditLog } from '../audit/index.js';
import { newId, nowIso } from '../core/ids.js';
import type { Executor, Tx, UnitOfWork } from '../db/index.js';
import type { Actor } from '../http/access.js';
import { parseOr422, Problem, problems } from '../http/problem.js';
import { searchKey } from '../places/index.js';
import { pseudonymRevealsName, type ProtectedIdentity } from '../privacy/guard.js';
import { CorruptCiphertextError, fieldAad, newDataKey, open, seal, wrapAad } from './crypto.js';
import type { KeyRing } from './keys.js';
import { generatePseudonym } from './pseudonyms.js';
import type { PeopleRepository, PersonRow } from './repository.js';
import {
  CreatePersonSchema,
  PersonAccessSchema,
  PersonIdentitySchema,
  UpdatePersonSchema,
  type CreatePersonInput,
  type Person,
  type PersonIdentity,
  type UpdatePersonInput,
} from './schema.js';

export interface PeopleServiceDeps {
  repo: PeopleRepository;
  uow: UnitOfWork;
  audit: AuditLog;
  keys: KeyRing;
  /** Which of these user ids are accounts. */
  knownUsers: (ids: string[]) => Promise<Set<string>>;
}

/** Why an identity is decrypted, for the audit chain: a person reading it, or a check before publication. */
export interface DecryptPurpose {
  actorId: string | null;
  entityType: string;
  entityId: string;
}

const notFound = () => problems.notFound('No such person.');

/**
 * The people registry. Only this service ever sees a master key, a data key or a decrypted identity, and it hands
 * identities out in two ways only: to a user granted access (each read audited), and to the PII guard before a
 * publication (each check audited). Nothing identifying is logged or put into an audit entry's change.
 */
export class PeopleService {
  constructor(private readonly deps: PeopleServiceDeps) {}

  private get repo() {
    return this.deps.repo;
  }

  /** Refuses to start on a missing or wrong master key; creates the first key only over an empty registry. */
  async checkKeys(): Promise<void> {
    this.deps.keys.ensure(await this.repo.keyIdsInUse());
  }

  private view(row: PersonRow, canReveal: boolean): Person {
    return {
      id: row.id,
      pseudonym: row.pseudonym,
      pseudonymLang: row.pseudonym_lang as Person['pseudonymLang'],
      roles: JSON.parse(row.roles) as Person['roles'],
      canReveal,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async list(actor: Actor): Promise<Person[]> {
    const [rows, mine] = await Promise.all([this.repo.list(), this.repo.accessibleBy(actor.userId)]);
    return rows.map((r) => this.view(r, mine.has(r.id)));
  }

  async get(id: string, actor: Actor): Promise<Person> {
    const row = await this.repo.findById(id);
    if (!row) throw notFound();
    return this.view(row, await this.repo.hasAccess(id, actor.userId));
  }

  /** The persons whose identity this user may read. */
  accessibleBy(userId: string): Promise<Set<string>> {
    return this.repo.accessibleBy(userId);
  }

  /** Pseudonyms by person id, for modules that show a person (stories): nothing else leaves. */
  async pseudonyms(ids: string[], ex?: Executor): Promise<Map<string, string>> {
    return new Map((await this.repo.findByIds([...new Set(ids)], ex)).map((r) => [r.id, r.pseudonym]));
  }

  private dataKey(row: Pick<PersonRow, 'id' | 'key_id' | 'wrapped_key'>): Buffer {
    const master = this.deps.keys.get(row.key_id);
    if (!master)
      throw new Problem(
        500,
        'master-key-missing',
        `The master key ${row.key_id} that protects this identity is not configured (${this.deps.keys.description}).`,
      );
    return open(master, row.wrapped_key, wrapAad(row.id, row.key_id), `The data key of person ${row.id}`);
  }

  private decrypt(row: PersonRow): PersonIdentity {
    try {
      const plain = open(this.dataKey(row), row.identity, fieldAad(row.id), `The identity of ${row.pseudonym}`);
      return PersonIdentitySchema.parse(JSON.parse(plain.toString('utf8')));
    } catch (err) {
      if (err instanceof CorruptCiphertextError || err instanceof SyntaxError)
        throw new Problem(
          409,
          'identity-unreadable',
          `The identity of ${row.pseudonym} cannot be decrypted: its stored ciphertext is damaged. Other persons are ` +
            `not affected; restore this one from a backup.`,
        );
      throw err;
    }
  }

  private sealIdentity(id: string, dataKey: Buffer, identity: PersonIdentity): string {
    return seal(dataKey, Buffer.from(JSON.stringify(identity), 'utf8'), fieldAad(id));
  }

  private async checkPseudonym(pseudonym: string, identity: PersonIdentity, exceptId: string | null, ex?: Executor) {
    const key = searchKey(pseudonym);
    if (key === '') throw problems.validation([{ path: 'pseudonym', message: 'must contain letters' }]);
    if (pseudonymRevealsName(pseudonym, [identity.fullName, ...identity.otherNames]))
      throw problems.validation([{ path: 'pseudonym', message: 'resembles the real name: choose another' }]);
    if (await this.repo.pseudonymTaken(key, exceptId, ex))
      throw problems.validation([{ path: 'pseudonym', message: 'is already used by another person' }]);
    return key;
  }

  private async checkUsers(ids: string[], path: string) {
    const known = await this.deps.knownUsers(ids);
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length) throw problems.validation([{ path, message: `unknown users: ${unknown.join(', ')}` }]);
  }

  async create(input: CreatePersonInput, actor: Actor): Promise<Person> {
    const v = parseOr422(CreatePersonSchema, input);
    const access = [...new Set([actor.userId, ...v.access])];
    await this.checkUsers(access, 'access');
    let pseudonym = v.pseudonym;
    if (pseudonym === undefined) {
      // A generated pseudonym may collide with one in use or resemble the name: draw again.
      for (let i = 0; i < 50 && pseudonym === undefined; i++) {
        const candidate = generatePseudonym(v.pseudonymLang);
        const key = searchKey(candidate);
        if (
          !(await this.repo.pseudonymTaken(key, null)) &&
          !pseudonymRevealsName(candidate, [v.identity.fullName, ...v.identity.otherNames])
        )
          pseudonym = candidate;
      }
      if (pseudonym === undefined) throw problems.conflict('Could not find a free pseudonym: choose one.');
    }
    const id = newId();
    const at = nowIso();
    const dataKey = newDataKey();
    const master = this.deps.keys.current();
    const row: PersonRow = {
      id,
      pseudonym,
      pseudonym_key: '',
      pseudonym_lang: v.pseudonymLang,
      roles: JSON.stringify([...new Set(v.roles)]),
      key_id: master.id,
      wrapped_key: seal(master.key, dataKey, wrapAad(id, master.id)),
      identity: this.sealIdentity(id, dataKey, v.identity),
      created_by: actor.userId,
      created_at: at,
      updated_at: at,
    };
    await this.deps.uow.run(async (tx) => {
      row.pseudonym_key = await this.checkPseudonym(pseudonym, v.identity, null, tx);
      await this.repo.insert(tx, row);
      await this.repo.setAccess(tx, id, access, actor.userId, at);
      await this.deps.audit.record(tx, {
        actorId: actor.userId,
        action: 'person.created',
        entityType: 'person',
        entityId: id,
        change: { pseudonym, roles: JSON.parse(row.roles) as string[], access },
      });
    });
    return this.view(row, true);
  }

  async update(id: string, input: UpdatePersonInput, actor: Actor): Promise<Person> {
    const v = parseOr422(UpdatePersonSchema, input);
    return this.deps.uow.run(async (tx) => {
      const row = await this.repo.findById(id, tx);
      if (!row) throw notFound();
      const allowed = await this.repo.hasAccess(id, actor.userId, tx);
      // The identity is needed to change it, and to check that a new pseudonym does not give it away.
      if (!allowed && (v.identity || v.pseudonym))
        throw problems.forbidden('Only people granted access to this identity may change it or the pseudonym.');
      const identity = v.identity ?? (v.pseudonym ? this.decrypt(row) : undefined);
      const patch: Parameters<PeopleRepository['update']>[2] = { updated_at: nowIso() };
      if (v.pseudonym !== undefined) {
        patch.pseudonym = v.pseudonym;
        patch.pseudonym_key = await this.checkPseudonym(v.pseudonym, identity!, id, tx);
      } else if (v.identity && pseudonymRevealsName(row.pseudonym, [v.identity.fullName, ...v.identity.otherNames])) {
        throw problems.validation([{ path: 'pseudonym', message: 'resembles the real name: choose another' }]);
      }
      if (v.roles) patch.roles = JSON.stringify([...new Set(v.roles)]);
      if (v.identity) patch.identity = this.sealIdentity(id, this.dataKey(row), v.identity);
      await this.repo.update(tx, id, patch);
      await this.deps.audit.record(tx, {
        actorId: actor.userId,
        action: 'person.updated',
        entityType: 'person',
        entityId: id,
        // Which parts changed, never their content.
        change: { pseudonym: v.pseudonym, roles: v.roles, identityChanged: v.identity !== undefined },
      });
      return this.view({ ...row, ...patch } as PersonRow, allowed);
    });
  }

  /** The real identity, for a user granted access; every read is on the audit chain. */
  async identity(id: string, actor: Actor): Promise<PersonIdentity> {
    return this.deps.uow.run(async (tx) => {
      const row = await this.repo.findById(id, tx);
      if (!row) throw notFound();
      if (!(await this.repo.hasAccess(id, actor.userId, tx)))
        throw problems.forbidden('You have not been granted access to this identity.');
      // Audited before decrypting: a read that fails still shows that it was tried.
      await this.deps.audit.record(tx, {
        actorId: actor.userId,
        action: 'person.identity.read',
        entityType: 'person',
        entityId: id,
        change: null,
      });
      return this.decrypt(row);
    });
  }

  async access(id: string, actor: Actor): Promise<string[]> {
    if (!(await this.repo.findById(id))) throw notFound();
    if (!(await this.repo.hasAccess(id, actor.userId)))
      throw problems.forbidden('Only people granted access to this identity see who else has it.');
    return this.repo.accessOf(id);
  }

  /** Replaces who may read the identity. Only someone who has access can grant it, and they keep it. */
  async setAccess(id: string, input: unknown, actor: Actor): Promise<string[]> {
    const v = parseOr422(PersonAccessSchema, input);
    const userIds = [...new Set(v.userIds)];
    if (!userIds.includes(actor.userId))
      throw problems.validation([{ path: 'userIds', message: 'you cannot remove your own access' }]);
    await this.checkUsers(userIds, 'userIds');
    return this.deps.uow.run(async (tx) => {
      if (!(await this.repo.findById(id, tx))) throw notFound();
      if (!(await this.repo.hasAccess(id, actor.userId, tx)))
        throw problems.forbidden('Only people granted access to this identity can grant it.');
      const before = await this.repo.accessOf(id, tx);
      await this.repo.setAccess(tx, id, userIds, actor.userId, nowIso());
      await this.deps.audit.record(tx, {
        actorId: actor.userId,
        action: 'person.access.changed',
        entityType: 'person',
        entityId: id,
        change: { before, after: userIds },
      });
      return userIds.sort();
    });
  }

  /**
   * Decrypts the names and addresses of these persons for the PII guard, inside the caller's transaction, with one
   * audit entry per person. Fails closed: an identity that cannot be read stops the publication.
   */
  async identitiesForGuard(tx: Tx, personIds: string[], purpose: DecryptPurpose): Promise<ProtectedIdentity[]> {
    const rows = await this.repo.findByIds([...new Set(personIds)], tx);
    const out: ProtectedIdentity[] = [];
    for (const row of rows) {
      await this.deps.audit.record(tx, {
        actorId: purpose.actorId,
        action: 'person.identity.checked',
        entityType: 'person',
        entityId: row.id,
        change: { for: `${purpose.entityType}:${purpose.entityId}` },
      });
      const identity = this.decrypt(row);
      out.push({
        personId: row.id,
        pseudonym: row.pseudonym,
        names: [identity.fullName, ...identity.otherNames],
        addresses: identity.address ? [identity.address] : [],
      });
    }
    return out;
  }

  /**
   * Re-wraps every data key with the current master key, a page at a time, each page in its own short transaction:
   * reads and writes go on meanwhile (a row is only ever re-wrapped from the key it was read with). With a key file,
   * a new current key is made first, and the old ones are dropped from the file once nothing uses them.
   */
  async rotate(
    opts: { newKey: boolean },
    actorId: string | null = null,
  ): Promise<{
    keyId: string;
    rewrapped: number;
    failed: string[];
  }> {
    const keys = this.deps.keys;
    if (opts.newKey) keys.rotate();
    const current = keys.current();
    let rewrapped = 0;
    const failed: string[] = [];
    let after = '';
    for (;;) {
      const page = await this.repo.wrappedOtherThan(current.id, after, 200);
      if (page.length === 0) break;
      after = page[page.length - 1]!.id;
      await this.deps.uow.run(async (tx) => {
        let n = 0;
        for (const row of page) {
          let dataKey: Buffer;
          try {
            dataKey = this.dataKey(row);
          } catch {
            failed.push(row.id);
            continue;
          }
          const wrapped = seal(current.key, dataKey, wrapAad(row.id, current.id));
          if (await this.repo.rewrap(tx, row.id, row.key_id, current.id, wrapped)) n++;
        }
        if (n > 0)
          await this.deps.audit.record(tx, {
            actorId,
            action: 'keys.rewrapped',
            entityType: 'master-key',
            entityId: current.id,
            change: { persons: n },
          });
        rewrapped += n;
      });
    }
    if (failed.length === 0) keys.retire(new Set([current.id, ...(await this.repo.keyIdsInUse())]));
    return { keyId: current.id, rewrapped, failed };
  }
}
