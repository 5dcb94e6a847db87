import { expect, it } from 'vitest';
import { unitOfWork } from '../db/index.js';
import { describeEachDb } from '../testing/db.js';
import { createAuditModule } from './index.js';

describeEachDb('audit chain', (ctx) => {
  it('links entries and verifies a clean chain', async () => {
    const { handle } = ctx();
    const { audit } = createAuditModule(handle.db, handle.dialect);
    const uow = unitOfWork(handle.db);
    for (const n of [1, 2, 3])
      await uow.run((tx) =>
        audit.record(tx, {
          actorId: null,
          action: 'test.write',
          entityType: 'thing',
          entityId: `t${n}`,
          change: { n },
        }),
      );
    const result = await audit.verify(2);
    expect(result).toEqual({ ok: true, checked: 3, headSeq: 3, broken: null });
    const [newest] = await audit.list({ limit: 1 });
    expect(newest?.entityId).toBe('t3');
  });

  it('keeps one chain under concurrent writers', async () => {
    const { handle } = ctx();
    const { audit } = createAuditModule(handle.db, handle.dialect);
    const uow = unitOfWork(handle.db);
    const before = (await audit.verify()).headSeq;
    await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        uow.run((tx) =>
          audit.record(tx, {
            actorId: null,
            action: 'test.race',
            entityType: 'thing',
            entityId: `r${n}`,
            change: { n },
          }),
        ),
      ),
    );
    const result = await audit.verify();
    expect(result.ok).toBe(true);
    expect(result.headSeq).toBe(before + 12);
  });

  it('rolls the entry back with a failed write', async () => {
    const { handle } = ctx();
    const { audit } = createAuditModule(handle.db, handle.dialect);
    const before = (await audit.verify()).headSeq;
    await expect(
      unitOfWork(handle.db).run(async (tx) => {
        await audit.record(tx, { actorId: null, action: 'test.fail', entityType: 'thing', entityId: 'x', change: {} });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await audit.verify()).headSeq).toBe(before);
  });

  it('catches a row edited behind its back, and names it', async () => {
    const { handle } = ctx();
    const { audit } = createAuditModule(handle.db, handle.dialect);
    await unitOfWork(handle.db).run((tx) =>
      audit.record(tx, { actorId: null, action: 'test.write', entityType: 'thing', entityId: 't9', change: {} }),
    );
    await handle.db.updateTable('audit_log').set({ entity_id: 'forged' }).where('seq', '=', 2).execute();
    const result = await audit.verify();
    expect(result.ok).toBe(false);
    expect(result.broken?.seq).toBe(2);
    expect(result.broken?.reason).toMatch(/altered/);
  });
});
