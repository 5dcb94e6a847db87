import { beforeAll, expect, it } from 'vitest';
import { describeEachApi } from '../testing/api.js';
import { createFactory, type Factory } from '../testing/factories.js';
import type { Group } from './index.js';

const CANARY = 'canary-group-restricted-4d1c';

describeEachApi('groups', (api) => {
  let factory: Factory;
  let admin: Awaited<ReturnType<Factory['signedIn']>>;
  let dora: Awaited<ReturnType<Factory['signedIn']>>;
  let gus: Awaited<ReturnType<Factory['signedIn']>>;
  let sam: Awaited<ReturnType<Factory['signedIn']>>;

  beforeAll(async () => {
    factory = createFactory(api());
    admin = await factory.signedIn('ada', { role: 'admin' });
    dora = await factory.signedIn('dora', { role: 'documenter' });
    gus = await factory.signedIn('gus', { role: 'communicator' });
    sam = await factory.signedIn('sam', { role: 'communicator' });
  });

  const createGroup = async (json: unknown, session = admin.session) =>
    api().request('/api/groups', { method: 'POST', session, json });

  it('lets an admin create, rename and re-staff a group, and records each change in the audit chain', async () => {
    const res = await createGroup({ name: 'Press trips working group', memberIds: [gus.id, gus.id] });
    expect(res.status).toBe(201);
    const g = (await res.json()) as Group;
    expect(g).toMatchObject({ name: 'Press trips working group', description: null, memberIds: [gus.id] });

    const upd = await api().request(`/api/groups/${g.id}`, {
      method: 'PATCH',
      session: admin.session,
      json: { description: 'Plans visits for foreign press', memberIds: [gus.id, sam.id] },
    });
    expect(upd.status).toBe(200);
    expect(((await upd.json()) as Group).memberIds).toEqual([gus.id, sam.id].sort());

    const list = (await (await api().request('/api/groups', { session: dora.session })).json()) as { items: Group[] };
    expect(list.items.map((x) => x.name)).toContain('Press trips working group');

    const actions = (await api().platform.audit.list({ entityType: 'group', entityId: g.id, limit: 10 })).map(
      (e) => e.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['groups.create', 'groups.update']));
  });

  it('refuses unknown members, empty and duplicate names, and non-admins', async () => {
    const unknown = await createGroup({ name: 'Ghosts', memberIds: ['no-such-user'] });
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { errors: { path: string }[] }).errors).toEqual([
      expect.objectContaining({ path: 'memberIds.0' }),
    ]);
    expect((await createGroup({ name: '   ' })).status).toBe(422);
    expect((await createGroup({ name: 'Twice' })).status).toBe(201);
    expect((await createGroup({ name: 'Twice' })).status).toBe(409);
    expect((await createGroup({ name: 'Not mine' }, dora.session)).status).toBe(403);
    const names = (await api().platform.groups.list()).map((g) => g.name);
    expect(names).not.toContain('Ghosts');
    expect(names).not.toContain('Not mine');
  });

  it('lets members of a named group, and only them, see a restricted record; membership changes and deletion apply at once', async () => {
    const g = (await (await createGroup({ name: 'Field team', memberIds: [gus.id] })).json()) as Group;
    const rec = await factory.record('restricted for a group', dora, {
      texts: { en: { title: `Shelter list ${CANARY}`, summary: `Names ${CANARY}` } },
      confidentiality: 'restricted',
      tags: ['grp-canary'],
    });
    const bad = await api().request(`/api/records/${rec.id}/access`, {
      method: 'PUT',
      session: dora.session,
      json: { userIds: [], groupIds: ['no-such-group'] },
    });
    expect(bad.status).toBe(422);

    const put = await api().request(`/api/records/${rec.id}/access`, {
      method: 'PUT',
      session: dora.session,
      json: { userIds: [], groupIds: [g.id] },
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ userIds: [], groupIds: [g.id] });

    const sees = async (session: string) => {
      const one = await api().request(`/api/records/${rec.id}`, { session });
      const list = await (await api().request('/api/records?tag=grp-canary', { session })).text();
      return { status: one.status, listed: list.includes(CANARY) };
    };
    expect(await sees(gus.session)).toEqual({ status: 200, listed: true });
    expect(await sees(sam.session)).toEqual({ status: 404, listed: false });
    expect(await sees(admin.session)).toEqual({ status: 404, listed: false });

    await api().request(`/api/groups/${g.id}`, {
      method: 'PATCH',
      session: admin.session,
      json: { memberIds: [sam.id] },
    });
    expect(await sees(gus.session)).toEqual({ status: 404, listed: false });
    expect(await sees(sam.session)).toEqual({ status: 200, listed: true });

    const view = (await (await api().request(`/api/records/${rec.id}`, { session: dora.session })).json()) as {
      accessGroupIds: string[];
    };
    expect(view.accessGroupIds).toEqual([g.id]);

    // Deleting the group only narrows who may see the record, and says nothing of it to an admin who is not named.
    const del = await api().request(`/api/groups/${g.id}`, { method: 'DELETE', session: admin.session });
    expect(del.status).toBe(204);
    expect(await del.text()).toBe('');
    expect(await sees(sam.session)).toEqual({ status: 404, listed: false });
    const after = (await (await api().request(`/api/records/${rec.id}`, { session: dora.session })).json()) as {
      accessGroupIds: string[];
    };
    expect(after.accessGroupIds).toEqual([]);
    expect((await api().request(`/api/groups/${g.id}`, { session: admin.session })).status).toBe(404);
  });
});
