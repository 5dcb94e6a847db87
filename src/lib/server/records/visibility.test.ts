import { beforeAll, expect, it } from 'vitest';
import type { Actor } from '../http/access.js';
import { describeEachApi } from '../testing/api.js';
import { createFactory } from '../testing/factories.js';
import type { RecordView } from './index.js';

/**
 * Canary tests: a restricted record and an internal record carry unique strings in every text field, and both are
 * published (so that only confidentiality stands between them and the public). Neither string may appear in any
 * response to a caller who may not see them, and neither record may be counted.
 */
const RESTRICTED_CANARY = 'canary-restricted-7f3a9c';
const INTERNAL_CANARY = 'canary-internal-b81e4d';

const textsWith = (canary: string) => ({
  en: { title: `Title ${canary}`, summary: `Summary ${canary}`, description: `Description ${canary}` },
  ru: { title: `Заголовок ${canary}`, summary: `Резюме ${canary}`, translationStatus: 'translated' as const },
});

describeEachApi('record visibility (canaries)', (api) => {
  const ids: Record<'restricted' | 'internal' | 'open', string> = { restricted: '', internal: '', open: '' };
  const sessions: Record<'dora' | 'nina' | 'sam' | 'admin' | 'journalist', string> = {
    dora: '',
    nina: '',
    sam: '',
    admin: '',
    journalist: '',
  };
  const actors: Record<string, Actor> = {};

  beforeAll(async () => {
    const factory = createFactory(api());
    const dora = await factory.signedIn('dora', { role: 'documenter' });
    const rita = await factory.signedIn('rita', { role: 'reviewer' });
    const nina = await factory.signedIn('nina', { role: 'communicator' });
    const sam = await factory.signedIn('sam', { role: 'communicator' });
    const admin = await factory.signedIn('ada', { role: 'admin' });
    const journalist = await factory.signedIn('jo', { role: 'journalist' });
    Object.assign(sessions, {
      dora: dora.session,
      nina: nina.session,
      sam: sam.session,
      admin: admin.session,
      journalist: journalist.session,
    });
    for (const u of [dora, nina, sam, admin, journalist])
      actors[u.name] = { userId: u.id, role: u.role, via: 'session', pendingSecondFactor: false };
    const place = await factory.place('Goris');
    const life = (await api().platform.rights.findByCode('IND-LIFE'))!.id;
    const common = {
      placeIds: [place.id],
      rightIds: [life],
      tags: ['canary'],
      startDate: '2023-09-19',
      startPrecision: 'day' as const,
    };

    const restricted = await factory.record('restricted', dora, {
      ...common,
      texts: textsWith(RESTRICTED_CANARY),
      confidentiality: 'restricted',
      responsible: [{ name: `Actor ${RESTRICTED_CANARY}`, attribution: `According to ${RESTRICTED_CANARY}` }],
    });
    const internal = await factory.record('internal', dora, {
      ...common,
      texts: textsWith(INTERNAL_CANARY),
      confidentiality: 'internal',
    });
    // A public record that links to both: the links must not leak them either.
    const open = await factory.record('open', dora, {
      ...common,
      confidentiality: 'public',
      links: [
        { kind: 'caused-by', recordId: restricted.id },
        { kind: 'part-of', recordId: internal.id },
      ],
    });
    Object.assign(ids, { restricted: restricted.id, internal: internal.id, open: open.id });

    // Rita (the publishing reviewer) and Nina are named on the restricted record.
    const access = await api().request(`/api/records/${restricted.id}/access`, {
      method: 'PUT',
      session: dora.session,
      json: { userIds: [rita.id, nina.id] },
    });
    expect(access.status).toBe(200);
    // Edit once, so that there are revisions to list and diff.
    for (const r of [restricted, internal, open]) {
      const res = await api().request(`/api/records/${r.id}`, {
        method: 'PATCH',
        session: dora.session,
        json: { version: r.version, violationType: 'attack-on-civilians' },
      });
      expect(res.status).toBe(200);
    }
    // Publish all three: only confidentiality keeps two of them from the public.
    for (const r of [restricted, internal, open]) await factory.publish(r, dora, rita);
  });

  /** Every response a caller gets from every record route, for the canaries to be looked for in. */
  async function everything(session: string | undefined): Promise<{ label: string; status: number; body: string }[]> {
    const paths = [
      '/api/records',
      '/api/records?tag=canary',
      `/api/records?confidentiality=restricted`,
      '/api/records?status=published&from=2023-01-01&to=2023-12-31',
      '/api/public/records',
      '/api/public/records?tag=canary',
    ];
    for (const id of Object.values(ids))
      paths.push(
        `/api/records/${id}`,
        `/api/records/${id}/revisions`,
        `/api/records/${id}/revisions/1`,
        `/api/records/${id}/revisions/2`,
        `/api/records/${id}/diff?from=1&to=2`,
        `/api/records/${id}/diff?from=2&to=5`,
        `/api/public/records/${id}`,
      );
    const out = [];
    for (const p of paths) {
      const res = await api().request(p, { session });
      out.push({ label: p, status: res.status, body: await res.text() });
    }
    return out;
  }

  const leaks = (responses: { label: string; body: string }[], canaries: string[]) =>
    responses.filter((r) => canaries.some((c) => r.body.includes(c))).map((r) => r.label);

  it('shows neither canary to the public or a journalist, anywhere', async () => {
    for (const who of [undefined, sessions.journalist]) {
      const responses = await everything(who);
      expect(leaks(responses, [RESTRICTED_CANARY, INTERNAL_CANARY])).toEqual([]);
      // Nor their ids, through links.
      expect(responses.filter((r) => r.body.includes(ids.restricted) || r.body.includes(ids.internal))).toEqual([]);
    }
  });

  it('lists and counts only the published public record for the public', async () => {
    const res = await api().request('/api/public/records');
    const page = (await res.json()) as { items: { id: string; links: unknown[] }[]; total: { value: number } };
    expect(page.items.map((i) => i.id)).toEqual([ids.open]);
    expect(page.total.value).toBe(1);
    expect(page.items[0]!.links).toEqual([]);
    const one = (await (await api().request(`/api/public/records/${ids.open}`)).json()) as Record<string, unknown>;
    for (const field of ['authorId', 'accessUserIds', 'version', 'status', 'confidentiality', 'verificationHistory'])
      expect(one, field).not.toHaveProperty(field);
    expect(one.places).toEqual([{ id: expect.any(String) as string, name: 'Goris' }]);
    for (const id of [ids.restricted, ids.internal])
      expect((await api().request(`/api/public/records/${id}`)).status).toBe(404);
  });

  it('hides the restricted record from staff who are not named, admins included: 404 and never counted', async () => {
    for (const session of [sessions.sam, sessions.admin]) {
      const responses = await everything(session);
      expect(leaks(responses, [RESTRICTED_CANARY])).toEqual([]);
      expect(responses.filter((r) => r.body.includes(ids.restricted)).map((r) => r.label)).toEqual([]);
      for (const r of responses.filter((x) => x.label.startsWith(`/api/records/${ids.restricted}`)))
        expect(r.status, r.label).toBe(404);
      // Internal records are staff reading.
      expect(leaks(responses, [INTERNAL_CANARY]).length).toBeGreaterThan(0);
      const list = (await (await api().request('/api/records?tag=canary', { session })).json()) as {
        items: { id: string }[];
        total: { value: number };
      };
      expect(list.items.map((i) => i.id).sort()).toEqual([ids.internal, ids.open].sort());
      expect(list.total.value).toBe(2);
      const restrictedOnly = (await (
        await api().request('/api/records?confidentiality=restricted', { session })
      ).json()) as { total: { value: number } };
      expect(restrictedOnly.total.value).toBe(0);
    }
  });

  it('shows the restricted record to a named user and to its author', async () => {
    for (const session of [sessions.nina, sessions.dora]) {
      const res = await api().request(`/api/records/${ids.restricted}`, { session });
      expect(res.status).toBe(200);
      expect(((await res.json()) as RecordView).texts.en?.title).toContain(RESTRICTED_CANARY);
      const list = (await (await api().request('/api/records?tag=canary', { session })).json()) as {
        total: { value: number };
      };
      expect(list.total.value).toBe(3);
      const open = (await (await api().request(`/api/records/${ids.open}`, { session })).json()) as RecordView;
      expect(open.links.map((l) => l.recordId).sort()).toEqual([ids.restricted, ids.internal].sort());
    }
  });

  it('answers visibleRecordIds by the same rule', async () => {
    const all = [ids.restricted, ids.internal, ids.open, 'no-such-id'];
    const seen = async (actor: Actor | null) => [...(await api().platform.records.visibleRecordIds(actor, all))].sort();
    expect(await seen(null)).toEqual([ids.open]);
    expect(await seen(actors.jo!)).toEqual([ids.open]);
    expect(await seen(actors.sam!)).toEqual([ids.internal, ids.open].sort());
    expect(await seen(actors.ada!)).toEqual([ids.internal, ids.open].sort());
    expect(await seen(actors.nina!)).toEqual([ids.restricted, ids.internal, ids.open].sort());
    expect(await seen({ ...actors.nina!, pendingSecondFactor: true })).toEqual([ids.open]);
  });

  it('keeps links to records an editor cannot see when that editor changes the links', async () => {
    // Sam cannot edit (communicator); an unnamed reviewer edits the open record's links after unpublishing it.
    const factory = createFactory(api());
    const rex = await factory.signedIn('rex', { role: 'reviewer' });
    await api().request(`/api/records/${ids.open}/transitions`, {
      method: 'POST',
      session: rex.session,
      json: { to: 'unpublished', reason: 'correction' },
    });
    const before = (await (
      await api().request(`/api/records/${ids.open}`, { session: rex.session })
    ).json()) as RecordView;
    expect(before.links.map((l) => l.recordId)).toEqual([ids.internal]);
    const res = await api().request(`/api/records/${ids.open}`, {
      method: 'PATCH',
      session: rex.session,
      json: { version: before.version, links: [] },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as RecordView).links).toEqual([]);
    const asAuthor = (await (
      await api().request(`/api/records/${ids.open}`, { session: sessions.dora })
    ).json()) as RecordView;
    expect(asAuthor.links.map((l) => l.recordId)).toEqual([ids.restricted]);
  });
});
