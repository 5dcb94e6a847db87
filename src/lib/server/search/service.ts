import type { AuditLog } from '../audit/index.js';
import { newId, nowIso } from '../core/ids.js';
import type { UnitOfWork } from '../db/index.js';
import type { Actor } from '../http/access.js';
import { parseOr422, Problem, problems } from '../http/problem.js';
import type { SavedSearchRow, SavedSearchesRepository } from './repository.js';
import {
  CreateSavedSearchSchema,
  SAVED_SEARCHES_MAX,
  type CreateSavedSearchInput,
  type SavedSearch,
} from './schema.js';

export interface SavedSearchesDeps {
  repo: SavedSearchesRepository;
  uow: UnitOfWork;
  audit: AuditLog;
  /** The records list's own query rules (wired by the platform): field errors, none when valid. */
  validateParams: (params: Record<string, string>) => { path: string; message: string }[];
}

/** Parameters that belong to one page of results, not to the search. */
const PAGE_PARAMS = new Set(['cursor', 'limit']);

const view = (r: SavedSearchRow): SavedSearch => ({
  id: r.id,
  name: r.name,
  params: r.params,
  createdAt: r.created_at,
});

/** A user's saved record searches: only their owner lists or deletes them (another's answers 404). */
export class SavedSearchesService {
  constructor(private readonly deps: SavedSearchesDeps) {}

  async list(actor: Actor): Promise<SavedSearch[]> {
    return (await this.deps.repo.listByUser(actor.userId)).map(view);
  }

  async create(input: CreateSavedSearchInput, actor: Actor): Promise<SavedSearch> {
    const data = parseOr422(CreateSavedSearchSchema, input);
    const given = new URLSearchParams(data.params.replace(/^\?/, ''));
    const kept = new URLSearchParams();
    for (const [k, v] of given) if (!PAGE_PARAMS.has(k) && v !== '') kept.set(k, v);
    const issues = this.deps.validateParams(Object.fromEntries(kept));
    if (issues.length > 0)
      throw problems.validation(issues.map((i) => ({ path: `params.${i.path}`, message: i.message })));
    return this.deps.uow.run(async (tx) => {
      if ((await this.deps.repo.countByUser(actor.userId, tx)) >= SAVED_SEARCHES_MAX)
        throw new Problem(409, 'too-many', `At most ${SAVED_SEARCHES_MAX} saved searches: delete one first.`);
      const row: SavedSearchRow = {
        id: newId(),
        user_id: actor.userId,
        name: data.name,
        params: kept.toString(),
        created_at: nowIso(),
      };
      await this.deps.repo.insert(tx, row);
      await this.deps.audit.record(tx, {
        actorId: actor.userId,
        action: 'saved-searches.create',
        entityType: 'saved-search',
        entityId: row.id,
        change: { after: view(row) },
      });
      return view(row);
    });
  }

  async delete(id: string, actor: Actor): Promise<void> {
    await this.deps.uow.run(async (tx) => {
      const row = await this.deps.repo.find(id, tx);
      if (!row || row.user_id !== actor.userId) throw problems.notFound('No such saved search.');
      await this.deps.repo.delete(tx, id);
      await this.deps.audit.record(tx, {
        actorId: actor.userId,
        action: 'saved-searches.delete',
        entityType: 'saved-search',
        entityId: id,
        change: { before: view(row) },
      });
    });
  }
}
