import { expect, it } from 'vitest';
import { createAuditModule } from '../audit/index.js';
import { unitOfWork } from '../db/index.js';
import { describeEachDb } from '../testing/db.js';
import { RightsRepository } from './repository.js';
import { RightsService } from './service.js';

describeEachDb('rights service with a usage counter', (ctx) => {
  function service(inUse: Set<string>) {
    const { db, dialect } = ctx().handle;
    return new RightsService({
      db,
      repo: new RightsRepository(db, dialect),
      uow: unitOfWork(db),
      audit: createAuditModule(db, dialect).audit,
      usage: (id) => Promise.resolve(inUse.has(id) ? 3 : 0),
    });
  }

  it('refuses to delete a right in use (409) but lets it be retired; without use it deletes', async () => {
    const inUse = new Set<string>();
    const rights = service(inUse);
    const food = (await rights.findByCode('IND-FOOD'))!;
    inUse.add(food.id);
    expect(await rights.inUse(food.id)).toBe(true);
    await expect(rights.delete(food.id, null)).rejects.toMatchObject({ status: 409 });
    expect((await rights.update(food.id, { retired: true }, null)).retiredAt).not.toBeNull();
    expect((await rights.get(food.id)).code).toBe('IND-FOOD');

    inUse.delete(food.id);
    expect(await rights.inUse(food.id)).toBe(false);
    await rights.delete(food.id, null);
    await expect(rights.get(food.id)).rejects.toMatchObject({ status: 404 });
  });

  it('counts nothing by default: until records exist, nothing is in use', async () => {
    const { db, dialect } = ctx().handle;
    const rights = new RightsService({
      db,
      repo: new RightsRepository(db, dialect),
      uow: unitOfWork(db),
      audit: createAuditModule(db, dialect).audit,
    });
    const life = (await rights.findByCode('IND-LIFE'))!;
    expect(await rights.inUse(life.id)).toBe(false);
  });

  it('checks its input even when called without the API', async () => {
    await expect(
      service(new Set()).create({ code: 'x', kind: 'category', names: { en: '', fr: '', hy: '', ru: '' } }, null),
    ).rejects.toMatchObject({ status: 422 });
  });
});
