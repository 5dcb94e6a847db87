import type { AuditLog } from '../audit/index.js';
import { newId, nowIso } from '../core/ids.js';
import type { Actor } from '../http/access.js';
import { problems, zodErrors } from '../http/problem.js';
import type { GroupRow, GroupsRepository } from './repository.js';
import {
  CreateGroupSchema,
  UpdateGroupSchema,
  type CreateGroupInput,
  type Group,
  type UpdateGroupInput,
} from './schema.js';
import type { UnitOfWork } from '../db/index.js';

export interface GroupsServiceDeps {
  repo: GroupsRepository;
  uow: UnitOfWork;
  audit: AuditLog;
  /** Which of the given user ids are existing accounts. */
  knownUsers: (ids: string[]) => Promise<Set<string>>;
}

const notFound = () => problems.notFound('No such group.');

export class GroupsService {
  constructor(private readonly deps: GroupsServiceDeps) {}

  async list(): Promise<Group[]> {
    const rows = await this.deps.repo.list();
    return this.views(rows);
  }

  async get(id: string): Promise<Group> {
    const row = await this.deps.repo.find(id);
    if (!row) throw notFound();
    return (await this.views([row]))[0]!;
  }

  /** The groups a user belongs to: the principals, besides the user, that a restricted record can name. */
  groupIdsOf(userId: string): Promise<string[]> {
    return this.deps.repo.groupIdsOf(userId);
  }

  /** Which of the given ids are existing groups. */
  existing(ids: string[]): Promise<Set<string>> {
    return this.deps.repo.existing([...new Set(ids)]);
  }

  async create(input: CreateGroupInput, actor: Actor): Promise<Group> {
    const parsed = CreateGroupSchema.safeParse(input);
    if (!parsed.success) throw problems.validation(zodErrors(parsed.error));
    const data = parsed.data;
    const memberIds = await this.checkMembers(data.memberIds);
    const at = nowIso();
    const row: GroupRow = {
      id: newId(),
      name: data.name,
      description: data.description ?? null,
      created_at: at,
      updated_at: at,
    };
    await this.deps.uow.run(async (tx) => {
      await this.deps.repo.insert(tx, row);
      await this.deps.repo.replaceMembers(tx, row.id, memberIds, at);
      await this.deps.audit.record(tx, {
        actorId: actor.userId,
        action: 'groups.create',
        entityType: 'group',
        entityId: row.id,
        change: { after: { name: row.name, memberIds } },
      });
    });
    return this.get(row.id);
  }

  async update(id: string, input: UpdateGroupInput, actor: Actor): Promise<Group> {
    const parsed = UpdateGroupSchema.safeParse(input);
    if (!parsed.success) throw problems.validation(zodErrors(parsed.error));
    const data = parsed.data;
    const memberIds = data.memberIds === undefined ? undefined : await this.checkMembers(data.memberIds);
    await this.deps.uow.run(async (tx) => {
      const before = await this.deps.repo.find(id, tx);
      if (!before) throw notFound();
      const beforeMembers = (await this.deps.repo.members([id], tx)).map((m) => m.user_id);
      const at = nowIso();
      const row: GroupRow = {
        ...before,
        name: data.name ?? before.name,
        description: data.description === undefined ? before.description : data.description,
        updated_at: at,
      };
      await this.deps.repo.update(tx, row);
      if (memberIds) await this.deps.repo.replaceMembers(tx, id, memberIds, at);
      await this.deps.audit.record(tx, {
        actorId: actor.userId,
        action: 'groups.update',
        entityType: 'group',
        entityId: id,
        change: {
          before: { name: before.name, description: before.description, memberIds: beforeMembers },
          after: { name: row.name, description: row.description, memberIds: memberIds ?? beforeMembers },
        },
      });
    });
    return this.get(id);
  }

  /**
   * Deletes the group and takes it off every record's access list. That only narrows who may see those records (the
   * author and named users keep them), and refusing instead would tell an admin who is not named that such records
   * exist. The audit entry keeps which records lost the group.
   */
  async delete(id: string, actor: Actor): Promise<void> {
    await this.deps.uow.run(async (tx) => {
      const before = await this.deps.repo.find(id, tx);
      if (!before) throw notFound();
      const records = await this.deps.repo.removeFromRecords(tx, id);
      await this.deps.repo.delete(tx, id);
      await this.deps.audit.record(tx, {
        actorId: actor.userId,
        action: 'groups.delete',
        entityType: 'group',
        entityId: id,
        change: { before: { name: before.name }, removedFromRecords: records },
      });
    });
  }

  private async checkMembers(ids: string[]): Promise<string[]> {
    const unique = [...new Set(ids)].sort();
    const known = await this.deps.knownUsers(unique);
    const issues = ids.flatMap((u, i) => (known.has(u) ? [] : [{ path: `memberIds.${i}`, message: 'no such user' }]));
    if (issues.length > 0) throw problems.validation(issues);
    return unique;
  }

  private async views(rows: GroupRow[]): Promise<Group[]> {
    const members = await this.deps.repo.members(rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      memberIds: members.filter((m) => m.group_id === r.id).map((m) => m.user_id),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }
}
