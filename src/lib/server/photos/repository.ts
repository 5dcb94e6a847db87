import { sql } from 'kysely';
import type { Db, Executor, SqlDialect, Tx } from '../db/index.js';
import { escapeLike } from '../db/index.js';
import type { PhotoConsentsTable, PhotosTable } from '../db/types.js';

export type PhotoRow = PhotosTable;
export type ConsentRow = PhotoConsentsTable;

export interface PhotoFilter {
  q?: string | undefined;
  place?: string | undefined;
  tag?: string | undefined;
  record?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  status?: PhotoRow['status'] | undefined;
  /** Public reads: published, and no consent of the item withdrawn or expired as of this date. */
  publicAsOf?: string | undefined;
  limit: number;
  offset: number;
}

/** All of the photo bank's SQL. */
export class PhotosRepository {
  constructor(
    private readonly db: Db,
    private readonly dialect: SqlDialect,
  ) {}

  async nextCode(tx: Tx): Promise<number> {
    const row = await tx
      .insertInto('code_counters')
      .values({ prefix: 'P', value: 1 })
      .onConflict((oc) => oc.column('prefix').doUpdateSet({ value: sql<number>`code_counters.value + 1` }))
      .returning('value')
      .executeTakeFirstOrThrow();
    return Number(row.value);
  }

  findById(id: string, ex: Executor = this.db): Promise<PhotoRow | undefined> {
    return ex.selectFrom('photos').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insert(tx: Tx, row: PhotoRow): Promise<void> {
    await tx.insertInto('photos').values(row).execute();
  }

  async update(tx: Tx, row: PhotoRow): Promise<void> {
    const { id, ...rest } = row;
    await tx.updateTable('photos').set(rest).where('id', '=', id).execute();
  }

  async setStatus(
    tx: Tx,
    id: string,
    change: Pick<PhotoRow, 'status' | 'status_reason' | 'updated_at'> &
      Partial<Pick<PhotoRow, 'published_at' | 'published_by' | 'first_published_at'>>,
  ): Promise<void> {
    await tx.updateTable('photos').set(change).where('id', '=', id).execute();
  }

  async replaceCaptions(tx: Tx, id: string, captions: Record<string, string>): Promise<void> {
    await tx.deleteFrom('photo_captions').where('photo_id', '=', id).execute();
    const rows = Object.entries(captions).map(([lang, caption]) => ({ photo_id: id, lang, caption }));
    if (rows.length) await tx.insertInto('photo_captions').values(rows).execute();
  }

  async replaceTags(tx: Tx, id: string, tags: string[]): Promise<void> {
    await tx.deleteFrom('photo_tags').where('photo_id', '=', id).execute();
    const rows = [...new Set(tags)].map((tag) => ({ photo_id: id, tag }));
    if (rows.length) await tx.insertInto('photo_tags').values(rows).execute();
  }

  /** Replaces the record links the editor can see; links to records they cannot see are kept as they are. */
  async replaceRecords(tx: Tx, id: string, recordIds: string[], keep: string[]): Promise<void> {
    await tx.deleteFrom('photo_records').where('photo_id', '=', id).execute();
    const rows = [...new Set([...recordIds, ...keep])].map((record_id) => ({ photo_id: id, record_id }));
    if (rows.length) await tx.insertInto('photo_records').values(rows).execute();
  }

  async captions(ids: string[]): Promise<Map<string, Record<string, string>>> {
    const out = new Map<string, Record<string, string>>();
    if (!ids.length) return out;
    for (const r of await this.db.selectFrom('photo_captions').selectAll().where('photo_id', 'in', ids).execute())
      out.set(r.photo_id, { ...out.get(r.photo_id), [r.lang]: r.caption });
    return out;
  }

  async tags(ids: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (!ids.length) return out;
    const rows = await this.db
      .selectFrom('photo_tags')
      .selectAll()
      .where('photo_id', 'in', ids)
      .orderBy('tag')
      .execute();
    for (const r of rows) out.set(r.photo_id, [...(out.get(r.photo_id) ?? []), r.tag]);
    return out;
  }

  async recordIds(id: string, ex: Executor = this.db): Promise<string[]> {
    const rows = await ex.selectFrom('photo_records').select('record_id').where('photo_id', '=', id).execute();
    return rows.map((r) => r.record_id);
  }

  async insertConsent(tx: Tx, row: ConsentRow): Promise<void> {
    await tx.insertInto('photo_consents').values(row).execute();
  }

  async withdrawConsent(tx: Tx, id: string, at: string, note: string | null): Promise<number> {
    const r = await tx
      .updateTable('photo_consents')
      .set({ withdrawn_at: at, withdrawn_note: note })
      .where('id', '=', id)
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  findConsent(id: string, ex: Executor = this.db): Promise<ConsentRow | undefined> {
    return ex.selectFrom('photo_consents').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async consents(ids: string[], ex: Executor = this.db): Promise<Map<string, ConsentRow[]>> {
    const out = new Map<string, ConsentRow[]>();
    if (!ids.length) return out;
    const rows = await ex
      .selectFrom('photo_consents')
      .selectAll()
      .where('photo_id', 'in', ids)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    for (const r of rows) out.set(r.photo_id, [...(out.get(r.photo_id) ?? []), r]);
    return out;
  }

  async insertDownload(
    tx: Tx,
    row: { id: string; photo_id: string; actor_id: string | null; size: string; format: string; at: string },
  ) {
    await tx.insertInto('photo_downloads').values(row).execute();
  }

  async downloadCount(id: string): Promise<number> {
    const r = await this.db
      .selectFrom('photo_downloads')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('photo_id', '=', id)
      .executeTakeFirstOrThrow();
    return this.dialect.toNumber(r.n);
  }

  /** Evidence items that have a photo bank item, with its code ("this looks like P-0012"). */
  async codesOfEvidence(evidenceIds: string[]): Promise<Map<string, string>> {
    if (!evidenceIds.length) return new Map();
    const rows = await this.db
      .selectFrom('photos')
      .select(['evidence_id', 'code'])
      .where('evidence_id', 'in', evidenceIds)
      .orderBy('created_at')
      .execute();
    const out = new Map<string, string>();
    for (const r of rows) if (!out.has(r.evidence_id)) out.set(r.evidence_id, r.code);
    return out;
  }

  async list(f: PhotoFilter): Promise<PhotoRow[]> {
    let q = this.db.selectFrom('photos').selectAll();
    if (f.status) q = q.where('status', '=', f.status);
    if (f.publicAsOf) {
      const today = f.publicAsOf;
      q = q
        .where('status', '=', 'published')
        .where('usage', '!=', 'no-rights')
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('photo_consents as c')
                .select('c.id')
                .whereRef('c.photo_id', '=', 'photos.id')
                .where((w) => w.or([w('c.withdrawn_at', 'is not', null), w('c.expires_on', '<', today)]))
                // Only a person's latest consent counts: a renewal after an expiry or a withdrawal supersedes it.
                .where((w) =>
                  w.not(
                    w.exists(
                      w
                        .selectFrom('photo_consents as later')
                        .select('later.id')
                        .whereRef('later.photo_id', '=', 'c.photo_id')
                        .whereRef('later.subject', '=', 'c.subject')
                        // The same person as gate.ts's currentConsents: the registry id when named, else the label.
                        .where((p) =>
                          p.or([
                            p('later.person_id', '=', p.ref('c.person_id')),
                            p.and([
                              p('later.person_id', 'is', null),
                              p('c.person_id', 'is', null),
                              p('later.person_label', '=', p.ref('c.person_label')),
                            ]),
                          ]),
                        )
                        .whereRef('later.id', '>', 'c.id'),
                    ),
                  ),
                ),
            ),
          ),
        );
    }
    if (f.place) q = q.where('place_id', '=', f.place);
    if (f.from) q = q.where('taken_on', '>=', f.from);
    if (f.to) q = q.where('taken_on', '<=', f.to);
    if (f.tag) {
      const tag = f.tag.toLowerCase();
      q = q.where('id', 'in', (eb) => eb.selectFrom('photo_tags').select('photo_id').where('tag', '=', tag));
    }
    if (f.record)
      q = q.where('id', 'in', (eb) =>
        eb.selectFrom('photo_records').select('photo_id').where('record_id', '=', f.record!),
      );
    if (f.q) {
      const pattern = `%${escapeLike(f.q)}%`;
      q = q.where((eb) =>
        eb.or([
          this.dialect.ilike('code', pattern),
          this.dialect.ilike('credit', pattern),
          eb(
            'id',
            'in',
            eb.selectFrom('photo_captions').select('photo_id').where(this.dialect.ilike('caption', pattern)),
          ),
        ]),
      );
    }
    return q
      .orderBy('taken_on', 'desc')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
  }
}
