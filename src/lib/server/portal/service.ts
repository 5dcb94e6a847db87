import type { AuditLog } from '../audit/index.js';
import { canonicalJson } from '../core/canonical.js';
import { nowIso } from '../core/ids.js';
import type { Db, UnitOfWork } from '../db/index.js';
import type { PortalRepository } from './repository.js';
import { HighlightListSchema, type Highlight, type PressContact } from './schema.js';

export const HIGHLIGHTS_SETTING_KEY = 'portal.highlights';

/** What the public portal shows before the domain modules have content of their own: attributed highlights. */
export class PortalService {
  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly repo: PortalRepository,
    private readonly audit: AuditLog,
    /** Where the press desk's address comes from; read on each call, so it follows the environment. */
    private readonly pressEmail: () => string | undefined = () => undefined,
  ) {}

  pressContact(): PressContact {
    return { email: this.pressEmail() ?? null };
  }

  async highlights(): Promise<Highlight[]> {
    const raw = await this.repo.get(this.db, HIGHLIGHTS_SETTING_KEY);
    return raw === undefined ? [] : HighlightListSchema.parse(JSON.parse(raw));
  }

  /** Replaces the list; returns false (and writes nothing) when it is already identical. */
  async replaceHighlights(list: Highlight[], actorId: string | null): Promise<boolean> {
    const value = canonicalJson(HighlightListSchema.parse(list));
    return this.uow.run(async (tx) => {
      if ((await this.repo.get(tx, HIGHLIGHTS_SETTING_KEY)) === value) return false;
      await this.repo.put(tx, HIGHLIGHTS_SETTING_KEY, value, nowIso());
      await this.audit.record(tx, {
        actorId,
        action: 'portal.highlights.replace',
        entityType: 'setting',
        entityId: HIGHLIGHTS_SETTING_KEY,
        change: { value },
      });
      return true;
    });
  }
}
