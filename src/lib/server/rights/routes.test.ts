import { beforeAll, expect, it } from 'vitest';
import { describeEachApi } from '../testing/api.js';
import { createFactory } from '../testing/factories.js';
import type { Right, RightCategory, RightDetail } from './index.js';

type Problem = { status: number; errors?: { path: string; message: string }[] };

const names = (en: string) => ({ en, fr: `${en} (fr)`, hy: `${en} (hy)`, ru: `${en} (ru)` });

describeEachApi('rights taxonomy API', (api) => {
  let admin: string;
  let documenter: string;
  const json = async <T>(res: Response) => (await res.json()) as T;
  const tree = async (query = '', session?: string) =>
    json<{ items: RightCategory[] }>(await api().request(`/api/rights${query}`, { session }));
  const byCode = async (code: string) => (await api().platform.rights.findByCode(code))!;
  const post = (body: unknown) => api().request('/api/rights', { method: 'POST', session: admin, json: body });
  const patch = (id: string, body: unknown) =>
    api().request(`/api/rights/${id}`, { method: 'PATCH', session: admin, json: body });

  beforeAll(async () => {
    const factory = createFactory(api());
    admin = (await factory.signedIn('ada', { role: 'admin' })).session;
    documenter = (await factory.signedIn('dora', { role: 'documenter' })).session;
  });

  it('is seeded with three categories holding 7, 5 and 4 rights, named in all four languages, citing instruments', async () => {
    const res = await api().request('/api/rights');
    expect(res.status).toBe(200);
    const { items } = await json<{ items: RightCategory[] }>(res);
    expect(items.map((c) => [c.code, c.kind, c.parentId, c.children.length])).toEqual([
      ['IND', 'category', null, 7],
      ['VUL', 'category', null, 5],
      ['COL', 'category', null, 4],
    ]);
    expect(items[0]!.children.map((r) => r.code)).toEqual([
      'IND-LIFE',
      'IND-HEALTH',
      'IND-FOOD',
      'IND-MOVEMENT',
      'IND-EDUCATION',
      'IND-WORK',
      'IND-PROPERTY',
    ]);
    expect(items[1]!.children.map((r) => r.code)).toEqual([
      'VUL-CHILDREN',
      'VUL-WOMEN',
      'VUL-OLDER',
      'VUL-DISABILITY',
      'VUL-DISPLACED',
    ]);
    expect(items[2]!.children.map((r) => r.code)).toEqual([
      'COL-SELFDET',
      'COL-DEVELOPMENT',
      'COL-ENVIRONMENT',
      'COL-PEACE',
    ]);
    const all = items.flatMap((c) => [c, ...c.children]);
    expect(all).toHaveLength(19);
    for (const node of all) {
      expect(node.names.en, node.code).toMatch(/^[A-Z][a-z]/);
      expect(node.names.fr, node.code).toMatch(/^Droit|^Liberté/);
      expect(node.names.hy, node.code).toMatch(/^[\u0531-\u058F ]+$/);
      expect(node.names.ru, node.code).toMatch(/^[\u0400-\u04FF ,]+$/);
      expect(node.instruments.length, node.code).toBeGreaterThan(0);
      expect(node.retiredAt).toBeNull();
    }
    for (const r of items.flatMap((c) => c.children))
      expect(r.parentId).toBe(items.find((c) => c.id === r.parentId)?.id);
    expect(all.find((n) => n.code === 'IND-LIFE')!.instruments).toEqual(['UDHR art. 3', 'ICCPR art. 6']);
    expect(all.find((n) => n.code === 'COL-DEVELOPMENT')!.instruments).toContain('ACHPR art. 22');
  });

  it('serves one node, a category with its rights, and 404 for an unknown id', async () => {
    const ind = await byCode('IND');
    const res = await api().request(`/api/rights/${ind.id}`);
    expect(res.status).toBe(200);
    const body = await json<RightDetail>(res);
    expect(body.code).toBe('IND');
    expect(body.children).toHaveLength(7);
    expect((await api().request('/api/rights/no-such-id')).status).toBe(404);
  });

  it('lets an admin add a right under a category, audited; others get 403', async () => {
    const vul = await byCode('VUL');
    const input = {
      code: 'VUL-MINORITIES',
      kind: 'right',
      parentId: vul.id,
      names: {
        en: 'Rights of minorities',
        fr: 'Droits des minorités',
        hy: 'Փոքրամասնությունների իրավունքներ',
        ru: 'Права меньшинств',
      },
      instruments: ['ICCPR art. 27'],
    };
    expect((await api().request('/api/rights', { method: 'POST', session: documenter, json: input })).status).toBe(403);
    const res = await post(input);
    expect(res.status).toBe(201);
    const created = await json<Right>(res);
    expect(created).toMatchObject({ code: 'VUL-MINORITIES', kind: 'right', parentId: vul.id, retiredAt: null });
    expect(created.sortOrder).toBeGreaterThan(50);
    expect((await tree()).items[1]!.children.at(-1)!.code).toBe('VUL-MINORITIES');
    const audit = await api().platform.audit.list({ entityType: 'right', entityId: created.id, limit: 10 });
    expect(audit.map((e) => e.action)).toEqual(['rights.create']);
    expect(await api().platform.audit.verify()).toMatchObject({ ok: true });
  });

  it('refuses a duplicate code with 409, on create and on rename', async () => {
    const ind = await byCode('IND');
    const dup = await post({ code: 'IND-LIFE', kind: 'right', parentId: ind.id, names: names('Again') });
    expect(dup.status).toBe(409);
    const health = await byCode('IND-HEALTH');
    expect((await patch(health.id, { code: 'IND-LIFE' })).status).toBe(409);
    expect((await byCode('IND-HEALTH')).id).toBe(health.id);
  });

  it('answers bad input with 422 and field paths', async () => {
    const ind = await byCode('IND');
    const res = await post({
      code: 'bad code',
      kind: 'right',
      parentId: ind.id,
      names: { en: 'X', fr: 'X', hy: 'X' },
      instruments: [''],
    });
    expect(res.status).toBe(422);
    const paths = (await json<Problem>(res)).errors!.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['code', 'names.ru', 'instruments.0']));
    const long = await post({ code: 'IND-LONG', kind: 'right', parentId: ind.id, names: names('x'.repeat(201)) });
    expect(long.status).toBe(422);
  });

  it('keeps the tree two levels deep: categories on top, rights under categories only', async () => {
    const ind = await byCode('IND');
    const col = await byCode('COL');
    const life = await byCode('IND-LIFE');
    const pathOf = async (res: Response) => {
      expect(res.status).toBe(422);
      return (await json<Problem>(res)).errors!.map((e) => e.path);
    };
    expect(await pathOf(await post({ code: 'ORPHAN', kind: 'right', names: names('Orphan') }))).toEqual(['parentId']);
    expect(
      await pathOf(await post({ code: 'IND-SUB', kind: 'right', parentId: life.id, names: names('Under a right') })),
    ).toEqual(['parentId']);
    expect(
      await pathOf(await post({ code: 'SUBCAT', kind: 'category', parentId: ind.id, names: names('Nested') })),
    ).toEqual(['parentId']);
    expect(
      await pathOf(await post({ code: 'IND-GHOST', kind: 'right', parentId: 'no-such-id', names: names('Ghost') })),
    ).toEqual(['parentId']);
    expect(await pathOf(await patch(life.id, { parentId: (await byCode('IND-HEALTH')).id }))).toEqual(['parentId']);
    expect(await pathOf(await patch(life.id, { parentId: null }))).toEqual(['parentId']);
    expect(await pathOf(await patch(col.id, { parentId: ind.id }))).toEqual(['parentId']);

    // A legitimate move, then back.
    const moved = await patch(life.id, { parentId: col.id });
    expect(moved.status).toBe(200);
    expect((await json<Right>(moved)).parentId).toBe(col.id);
    expect((await patch(life.id, { parentId: ind.id })).status).toBe(200);
  });

  it('renames one language without touching the others, audited', async () => {
    const work = await byCode('IND-WORK');
    const res = await patch(work.id, { names: { fr: 'Droit au travail et à des conditions justes' } });
    expect(res.status).toBe(200);
    const after = await json<Right>(res);
    expect(after.names).toEqual({ ...work.names, fr: 'Droit au travail et à des conditions justes' });
    const audit = await api().platform.audit.list({ entityType: 'right', entityId: work.id, limit: 10 });
    expect(audit.map((e) => e.action)).toEqual(['rights.update']);
  });

  it('retires and brings back a node; retired nodes are listed only for taxonomy managers, on request', async () => {
    const peace = await byCode('COL-PEACE');
    const res = await patch(peace.id, { retired: true });
    expect(res.status).toBe(200);
    expect((await json<Right>(res)).retiredAt).not.toBeNull();

    expect((await tree()).items[2]!.children.map((r) => r.code)).not.toContain('COL-PEACE');
    const full = await tree('?includeRetired=true', admin);
    const listed = full.items[2]!.children.find((r) => r.code === 'COL-PEACE');
    expect(listed?.retiredAt).not.toBeNull();
    expect((await api().request('/api/rights?includeRetired=true')).status).toBe(401);
    expect((await api().request('/api/rights?includeRetired=true', { session: documenter })).status).toBe(403);
    // Anyone who holds its id (a record citing it, later) still sees it, flagged.
    const one = await json<Right>(await api().request(`/api/rights/${peace.id}`));
    expect(one.retiredAt).not.toBeNull();

    expect((await json<Right>(await patch(peace.id, { retired: false }))).retiredAt).toBeNull();
    expect((await tree()).items[2]!.children.map((r) => r.code)).toContain('COL-PEACE');
    const audit = await api().platform.audit.list({ entityType: 'right', entityId: peace.id, limit: 10 });
    expect(audit.map((e) => e.action)).toEqual(['rights.unretire', 'rights.retire']);
  });

  it('deletes only a node with nothing under it; a category with rights is refused with 409', async () => {
    const cat = await json<Right>(await post({ code: 'TMP', kind: 'category', names: names('Temporary') }));
    const right = await json<Right>(
      await post({ code: 'TMP-ONE', kind: 'right', parentId: cat.id, names: names('Temporary right') }),
    );
    const refused = await api().request(`/api/rights/${cat.id}`, { method: 'DELETE', session: admin });
    expect(refused.status).toBe(409);
    expect((await patch(cat.id, { retired: true })).status).toBe(200);

    expect((await api().request(`/api/rights/${right.id}`, { method: 'DELETE', session: admin })).status).toBe(204);
    expect((await api().request(`/api/rights/${cat.id}`, { method: 'DELETE', session: admin })).status).toBe(204);
    expect((await api().request(`/api/rights/${cat.id}`)).status).toBe(404);
    expect((await api().request(`/api/rights/${cat.id}`, { method: 'DELETE', session: admin })).status).toBe(404);
    const audit = await api().platform.audit.list({ entityType: 'right', entityId: cat.id, limit: 10 });
    expect(audit.map((e) => e.action)).toEqual(['rights.delete', 'rights.retire', 'rights.create']);
  });
});
