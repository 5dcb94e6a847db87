import { beforeAll, expect, it } from 'vitest';
import { describeEachApi } from '../testing/api.js';
import { createFactory, type Factory } from '../testing/factories.js';

describeEachApi('record deletion', (api) => {
  let factory: Factory;
  let dora: Awaited<ReturnType<Factory['signedIn']>>;
  let dan: Awaited<ReturnType<Factory['signedIn']>>;
  let rita: Awaited<ReturnType<Factory['signedIn']>>;

  beforeAll(async () => {
    factory = createFactory(api());
    dora = await factory.signedIn('dora', { role: 'documenter' });
    dan = await factory.signedIn('dan', { role: 'documenter' });
    rita = await factory.signedIn('rita', { role: 'reviewer' });
  });

  const del = (id: string, session: string, headers: Record<string, string> = {}) =>
    api().request(`/api/records/${id}`, { method: 'DELETE', session, headers });

  it('lets the author delete a draft: gone from reads, its children cascade, and the audit chain records it', async () => {
    const place = await factory.place('Berdzor');
    const r = await factory.record('duplicate entry', dora, { placeIds: [place.id], tags: ['dup'] });
    expect((await del(r.id, dora.session, { 'if-match': '"0"' })).status).toBe(409);
    expect((await del(r.id, dora.session, { 'if-match': `"${r.version}"` })).status).toBe(204);
    expect((await api().request(`/api/records/${r.id}`, { session: dora.session })).status).toBe(404);
    expect((await api().request(`/api/records/${r.id}/revisions`, { session: dora.session })).status).toBe(404);
    const audit = await api().platform.audit.list({ entityType: 'record', entityId: r.id, limit: 10 });
    expect(audit.map((e) => e.action)).toContain('records.delete');
    // Deleting again is a plain 404.
    expect((await del(r.id, dora.session)).status).toBe(404);
  });

  it('refuses another documenter, but lets a reviewer delete a draft they can see', async () => {
    const r = await factory.record('mistaken entry', dora);
    const res = await del(r.id, dan.session);
    expect(res.status).toBe(403);
    expect((await api().request(`/api/records/${r.id}`, { session: dora.session })).status).toBe(200);
    expect((await del(r.id, rita.session)).status).toBe(204);
  });

  it('refuses to delete a record that was ever published, or that a source cites', async () => {
    const r = await factory.record('published once', dora);
    for (const [to, session] of [
      ['in-review', dora.session],
      ['approved', rita.session],
      ['published', rita.session],
    ] as const)
      expect(
        (await api().request(`/api/records/${r.id}/transitions`, { method: 'POST', session, json: { to } })).status,
      ).toBe(200);
    await api().request(`/api/records/${r.id}/transitions`, {
      method: 'POST',
      session: rita.session,
      json: { to: 'unpublished', reason: 'wrong place' },
    });
    const res = await del(r.id, rita.session);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/unpublish|retract/);

    const cited = await factory.record('cited', dora);
    const source = await factory.source('A press release');
    const link = await api().request(`/api/sources/${source.id}/records`, {
      method: 'POST',
      session: dora.session,
      json: { recordId: cited.id, relation: 'supports', quote: 'The road was closed.' },
    });
    expect(link.status).toBe(201);
    expect((await del(cited.id, dora.session)).status).toBe(409);
    expect((await api().request(`/api/records/${cited.id}`, { session: dora.session })).status).toBe(200);
  });

  it('hides a restricted record from someone who cannot see it: 404, not 403', async () => {
    const r = await factory.record('restricted', dora, { confidentiality: 'restricted' });
    expect((await del(r.id, rita.session)).status).toBe(404);
  });
});
