import { expect, it } from 'vitest';
import { createAuditModule, type AuditLog } from '../audit/index.js';
import { unitOfWork } from '../db/index.js';
import { describeEachDb } from '../testing/db.js';
import { PlacesRepository } from './repository.js';
import { PlacesService } from './service.js';

describeEachDb('places service transactions', (ctx) => {
  function service(audit?: AuditLog) {
    const { db, dialect } = ctx().handle;
    return new PlacesService({
      db,
      repo: new PlacesRepository(db, dialect),
      uow: unitOfWork(db),
      audit: audit ?? createAuditModule(db, dialect).audit,
    });
  }

  it('rolls back the names with the rest when a write fails after they were replaced', async () => {
    const places = service();
    const p = await places.create(
      { name: 'Martakert', type: 'town', altNames: [{ name: 'Մարտակերտ', lang: 'hy' }] },
      null,
    );
    // The audit entry is written last in the transaction: failing it fails the whole update.
    const failing = { record: () => Promise.reject(new Error('disk full')) } as unknown as AuditLog;
    await expect(
      service(failing).update(p.id, { name: 'Aghdara', altNames: [{ name: 'Ağdərə', lang: 'az-Latn' }] }, null),
    ).rejects.toThrow('disk full');

    const after = await places.get(p.id);
    expect(after.name).toBe('Martakert');
    expect(after.altNames).toEqual([{ name: 'Մարտակերտ', lang: 'hy', kind: null }]);
    expect((await places.list({ q: 'Մարտ' })).map((x) => x.id)).toEqual([p.id]);
    expect(await places.list({ q: 'agdere' })).toEqual([]);
    expect(await places.list({ q: 'aghdara' })).toEqual([]);
  });

  it('creates nothing when the audit entry cannot be written', async () => {
    const failing = { record: () => Promise.reject(new Error('disk full')) } as unknown as AuditLog;
    await expect(service(failing).create({ name: 'Phantom', type: 'site' }, null)).rejects.toThrow('disk full');
    expect(await service().list({ q: 'phantom' })).toEqual([]);
  });
});
