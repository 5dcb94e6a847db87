import type { AuditLog } from '../audit/index.js';
import { newId, nowIso } from '../core/ids.js';
import type { Db, Executor, Tx, UnitOfWork } from '../db/index.js';
import { parseOr422, problems } from '../http/problem.js';
import type { RightRecord, RightsRepository } from './repository.js';
import {
  CreateRightSchema,
  UpdateRightSchema,
  type CreateRightInput,
  type Right,
  type RightCategory,
  type RightDetail,
  type UpdateRightInput,
} from './schema.js';

/**
 * How many things (records, later) refer to a right. The records module provides the real counter when it lands and
 * the platform passes it in; until then nothing refers to a right and the default counts nothing. It runs inside the
 * deleting transaction, on its executor.
 */
export type RightUsageCounter = (rightId: string, ex: Executor) => Promise<number>;

export const countsNothing: RightUsageCounter = () => Promise.resolve(0);

export interface RightsServiceDeps {
  db: Db;
  repo: RightsRepository;
  uow: UnitOfWork;
  audit: AuditLog;
  usage?: RightUsageCounter;
}

/** Validates service input with the module's schema (the routes did already; the CLI and demo may not have). */

const invalid = (path: string, message: string) => problems.validation([{ path, message }]);

function toView(r: RightRecord): Right {
  return { ...r, instruments: [...r.instruments] };
}

/**
 * The rights taxonomy: a two-level tree of categories holding rights. Any node may be retired (kept for the records
 * that cite it, no longer offered) and brought back; a node is deleted only when nothing hangs under it and nothing
 * uses it.
 */
export class RightsService {
  private readonly usage: RightUsageCounter;

  constructor(private readonly deps: RightsServiceDeps) {
    this.usage = deps.usage ?? countsNothing;
  }

  private get repo() {
    return this.deps.repo;
  }

  /** The tree: categories with their rights, in display order. Retired nodes (and their subtrees) only on request. */
  async tree(opts: { includeRetired?: boolean } = {}): Promise<RightCategory[]> {
    const all = (await this.repo.list()).filter((r) => opts.includeRetired || r.retiredAt === null);
    return all
      .filter((r) => r.kind === 'category')
      .map((c) => ({ ...toView(c), children: all.filter((r) => r.parentId === c.id).map(toView) }));
  }

  async get(id: string): Promise<RightDetail> {
    const node = await this.repo.findById(id);
    if (!node) throw problems.notFound('No such right or category.');
    const children = node.kind === 'category' ? await this.repo.children(id) : [];
    return { ...toView(node), children: children.map(toView) };
  }

  async findByCode(code: string): Promise<Right | undefined> {
    const r = await this.repo.findByCode(code);
    return r && toView(r);
  }

  /** True when something (a record, later) refers to the node: then it can be retired but not deleted. */
  async inUse(id: string, ex?: Executor): Promise<boolean> {
    return (await this.usage(id, ex ?? this.deps.db)) > 0;
  }

  async create(input: CreateRightInput, actorId: string | null): Promise<Right> {
    const data = parseOr422(CreateRightSchema, input);
    return this.deps.uow.run(async (tx) => {
      if (await this.repo.findByCode(data.code, tx)) throw problems.conflict(`The code ${data.code} is already taken.`);
      const parentId = data.parentId ?? null;
      await this.checkPlacement(tx, data.kind, parentId);
      const at = nowIso();
      const node: RightRecord = {
        id: newId(),
        code: data.code,
        kind: data.kind,
        parentId,
        names: data.names,
        instruments: data.instruments,
        sortOrder: data.sortOrder ?? (await this.repo.maxSortOrder(tx, parentId)) + 10,
        createdAt: at,
        updatedAt: at,
        retiredAt: null,
      };
      await this.repo.insert(tx, node);
      await this.audit(tx, actorId, 'rights.create', node);
      return toView(node);
    });
  }

  async update(id: string, input: UpdateRightInput, actorId: string | null): Promise<Right> {
    const data = parseOr422(UpdateRightSchema, input);
    return this.deps.uow.run(async (tx) => {
      const before = await this.repo.findById(id, tx);
      if (!before) throw problems.notFound('No such right or category.');
      if (data.code !== undefined && data.code !== before.code) {
        const holder = await this.repo.findByCode(data.code, tx);
        if (holder) throw problems.conflict(`The code ${data.code} is already taken.`);
      }
      const parentId = data.parentId === undefined ? before.parentId : data.parentId;
      if (parentId !== before.parentId) await this.checkPlacement(tx, before.kind, parentId);
      const at = nowIso();
      const after: RightRecord = {
        ...before,
        code: data.code ?? before.code,
        parentId,
        names: { ...before.names, ...data.names },
        instruments: data.instruments ?? before.instruments,
        sortOrder: data.sortOrder ?? before.sortOrder,
        retiredAt: data.retired === undefined ? before.retiredAt : data.retired ? (before.retiredAt ?? at) : null,
      };
      if (JSON.stringify(after) === JSON.stringify(before)) return toView(before);
      after.updatedAt = at;
      await this.repo.update(tx, after);
      const action =
        before.retiredAt === null && after.retiredAt !== null
          ? 'rights.retire'
          : before.retiredAt !== null && after.retiredAt === null
            ? 'rights.unretire'
            : 'rights.update';
      await this.audit(tx, actorId, action, after, before);
      return toView(after);
    });
  }

  /** Deletes a node that has no children and that nothing uses; otherwise 409 (retire it instead). */
  async delete(id: string, actorId: string | null): Promise<void> {
    await this.deps.uow.run(async (tx) => {
      const node = await this.repo.findById(id, tx);
      if (!node) throw problems.notFound('No such right or category.');
      if ((await this.repo.children(id, tx)).length > 0)
        throw problems.conflict('This category still holds rights: move or delete them first, or retire it.');
      if ((await this.usage(id, tx)) > 0)
        throw problems.conflict('This right is in use by records: retire it instead of deleting it.');
      await this.repo.delete(tx, id);
      await this.audit(tx, actorId, 'rights.delete', null, node);
    });
  }

  /** Categories sit at the top; a right sits under a category, never under another right. */
  private async checkPlacement(tx: Tx, kind: RightRecord['kind'], parentId: string | null): Promise<void> {
    if (kind === 'category') {
      if (parentId !== null) throw invalid('parentId', 'a category has no parent');
      return;
    }
    if (parentId === null) throw invalid('parentId', 'a right needs its category');
    const parent = await this.repo.findById(parentId, tx);
    if (!parent) throw invalid('parentId', 'no such category');
    if (parent.kind !== 'category') throw invalid('parentId', 'a right can only sit under a category');
  }

  private async audit(
    tx: Tx,
    actorId: string | null,
    action: string,
    after: RightRecord | null,
    before?: RightRecord,
  ): Promise<void> {
    const id = after?.id ?? before?.id ?? '';
    await this.deps.audit.record(tx, {
      actorId,
      action,
      entityType: 'right',
      entityId: id,
      change: { before: before ?? null, after },
    });
  }
}
