import { beforeAll, expect, it } from 'vitest';
import { createAuditModule } from '../audit/index.js';
import { unitOfWork } from '../db/index.js';
import type { Actor } from '../http/access.js';
import type { VisibleRecordIds } from '../inquiries/index.js';
import { describeEachDb } from '../testing/db.js';
import { SourcesRepository } from './repository.js';
import { SourcesService } from './service.js';
import { insertAuthorAndRecords } from '../testing/rows.js';

const actor: Actor = { userId: 'u-doc', role: 'documenter', via: 'session', pendingSecondFactor: false };

describeEachDb('sources service: links to records', (ctx) => {
  let seeHidden = true;
  // A stand-in for RecordsService.visibleRecordIds: rec-hidden is visible only while seeHidden is set.
  const visible: VisibleRecordIds = (_actor, ids) =>
    Promise.resolve(new Set(ids.filter((id) => id === 'rec-open' || (seeHidden && id === 'rec-hidden'))));
  let sources: SourcesService;

  beforeAll(async () => {
    const { db, dialect } = ctx().handle;
    sources = new SourcesService({
      db,
      repo: new SourcesRepository(db, dialect),
      uow: unitOfWork(db),
      audit: createAuditModule(db, dialect).audit,
      visibleRecordIds: visible,
    });
    await insertAuthorAndRecords(db, actor.userId, { 'rec-open': 'internal', 'rec-hidden': 'restricted' });
  });

  it('links with a relation and a quote, once per relation; filters what the actor cannot see', async () => {
    seeHidden = true;
    const s = await sources.create({ type: 'media-report', title: 'Press release' }, null);
    await sources.linkRecord(
      s.id,
      { recordId: 'rec-open', relation: 'supports', quote: 'The road was closed.' },
      actor,
    );
    await sources.linkRecord(s.id, { recordId: 'rec-open', relation: 'contradicts', quote: 'Trucks passed.' }, actor);
    const all = await sources.linkRecord(
      s.id,
      { recordId: 'rec-hidden', relation: 'supports', quote: 'A named witness said so.' },
      actor,
    );
    expect(all.records.map((l) => `${l.recordId}/${l.relation}`).sort()).toEqual([
      'rec-hidden/supports',
      'rec-open/contradicts',
      'rec-open/supports',
    ]);
    await expect(
      sources.linkRecord(s.id, { recordId: 'rec-open', relation: 'supports', quote: 'Again.' }, actor),
    ).rejects.toMatchObject({ status: 409 });
    await expect(
      sources.linkRecord(s.id, { recordId: 'rec-open', relation: 'refutes' as never, quote: 'x' }, actor),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      sources.linkRecord(s.id, { recordId: 'rec-open', relation: 'supports', quote: 'x'.repeat(2001) }, actor),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      sources.linkRecord(s.id, { recordId: 'rec-open', relation: 'supports', quote: ' ' }, actor),
    ).rejects.toMatchObject({ status: 422 });

    seeHidden = false;
    const seen = await sources.get(s.id, actor);
    expect(seen.records.map((l) => l.recordId)).toEqual(['rec-open', 'rec-open']);
    expect(JSON.stringify(seen)).not.toContain('rec-hidden');
    expect(JSON.stringify(seen)).not.toContain('named witness');
    // Linking, or unlinking, a record one cannot see is a 404, like a record that does not exist.
    await expect(
      sources.linkRecord(s.id, { recordId: 'rec-hidden', relation: 'contradicts', quote: 'x' }, actor),
    ).rejects.toMatchObject({ status: 404 });
    await expect(sources.unlinkRecord(s.id, 'rec-hidden', undefined, actor)).rejects.toMatchObject({ status: 404 });
    await expect(
      sources.linkRecord(s.id, { recordId: 'no-such-record', relation: 'supports', quote: 'x' }, actor),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      sources.linkRecord('no-such-source', { recordId: 'rec-open', relation: 'supports', quote: 'x' }, actor),
    ).rejects.toMatchObject({ status: 404 });

    // Unlinking one relation leaves the other.
    await sources.unlinkRecord(s.id, 'rec-open', 'contradicts', actor);
    expect((await sources.get(s.id, actor)).records.map((l) => l.relation)).toEqual(['supports']);
    await expect(sources.unlinkRecord(s.id, 'rec-open', 'contradicts', actor)).rejects.toMatchObject({ status: 404 });
  });

  it('refuses to delete a linked source (409), and deletes it once unlinked; every write audited', async () => {
    seeHidden = true;
    const s = await sources.create({ type: 'official-document', title: 'Decree' }, null);
    await sources.linkRecord(s.id, { recordId: 'rec-open', relation: 'supports', quote: 'Article 2.' }, actor);
    await expect(sources.delete(s.id, null)).rejects.toMatchObject({ status: 409 });
    await sources.unlinkRecord(s.id, 'rec-open', undefined, actor);
    await sources.delete(s.id, null);
    await expect(sources.get(s.id, actor)).rejects.toMatchObject({ status: 404 });
    const { db, dialect } = ctx().handle;
    const audit = await createAuditModule(db, dialect).audit.list({ entityType: 'source', entityId: s.id, limit: 10 });
    expect(audit.map((e) => e.action)).toEqual([
      'sources.delete',
      'sources.unlink-record',
      'sources.link-record',
      'sources.create',
    ]);
  });

  it('drops the links of a record that is deleted', async () => {
    const s = await sources.create({ type: 'media-report', title: 'Cascade' }, null);
    const { db } = ctx().handle;
    const at = new Date().toISOString();
    await db
      .insertInto('records')
      .values({
        id: 'rec-open-2',
        code: 'V-2023-9999',
        status: 'draft',
        verification: 'reported',
        confidentiality: 'internal',
        responsible: '[]',
        version: 1,
        created_at: at,
        updated_at: at,
      } as never)
      .execute();
    const all: VisibleRecordIds = (_a, ids) => Promise.resolve(new Set(ids));
    const { dialect } = ctx().handle;
    const open = new SourcesService({
      db,
      repo: new SourcesRepository(db, dialect),
      uow: unitOfWork(db),
      audit: createAuditModule(db, dialect).audit,
      visibleRecordIds: all,
    });
    await open.linkRecord(s.id, { recordId: 'rec-open-2', relation: 'supports', quote: 'q' }, actor);
    await db.deleteFrom('records').where('id', '=', 'rec-open-2').execute();
    expect((await open.get(s.id, actor)).records).toEqual([]);
  });
});
