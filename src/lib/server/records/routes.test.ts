import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachApi, type TestRequestInit } from '../testing/api.js';
import { createFactory, type Factory } from '../testing/factories.js';
import type { RecordView } from './index.js';

type Problem = { status: number; type: string; errors?: { path: string; message: string }[] };
type Json = Record<string, unknown>;

describeEachApi('records API', (api) => {
  let factory: Factory;
  let dora: { id: string; session: string }; // documenter
  let rita: { id: string; session: string }; // reviewer
  let rex: { id: string; session: string }; // another reviewer
  let cole: { id: string; session: string }; // communicator
  let placeId: string;
  let lifeId: string;
  let healthId: string;

  const call = (path: string, session: string, init: TestRequestInit = {}) =>
    api().request(`/api/records${path}`, { session, ...init });
  const post = (session: string, body: unknown) => call('', session, { method: 'POST', json: body });
  const patch = (id: string, session: string, body: unknown, headers?: Record<string, string>) =>
    call(`/${id}`, session, { method: 'PATCH', json: body, headers });
  const move = (id: string, session: string, body: unknown) =>
    call(`/${id}/transitions`, session, { method: 'POST', json: body });
  const json = async <T = Json>(res: Response) => (await res.json()) as T;
  const texts = (title: string) => ({ en: { title, summary: `Summary of ${title}.` } });
  const errorPaths = async (res: Response) => {
    expect(res.status).toBe(422);
    return (await json<Problem>(res)).errors?.map((e) => e.path) ?? [];
  };

  beforeAll(async () => {
    factory = createFactory(api());
    dora = await factory.signedIn('dora', { role: 'documenter' });
    rita = await factory.signedIn('rita', { role: 'reviewer' });
    rex = await factory.signedIn('rex', { role: 'reviewer' });
    cole = await factory.signedIn('cole', { role: 'communicator' });
    placeId = (await factory.place('Stepanakert', { type: 'city' })).id;
    lifeId = (await api().platform.rights.findByCode('IND-LIFE'))!.id;
    healthId = (await api().platform.rights.findByCode('IND-HEALTH'))!.id;
  });

  describe('create and validate', () => {
    it('creates a draft with every field, and hands out codes V-YYYY-NNNN in sequence', async () => {
      const year = new Date().getUTCFullYear();
      const res = await post(dora.session, {
        texts: {
          en: { title: 'Gas supply cut', summary: 'The gas pipeline was cut.', description: 'Long text.' },
          hy: { title: 'Գազի մատակարարումը դադարեցվել է', summary: 'Ամփոփում', translationStatus: 'translated' },
        },
        violationType: 'denial-of-services',
        startDate: '2023-03-22',
        startPrecision: 'day',
        ongoing: true,
        placeIds: [placeId],
        rightIds: [lifeId, healthId],
        affected: { individuals: 120000, children: 30000 },
        responsible: [{ name: 'Party A', attribution: 'According to the ombudsman’s report' }],
        tags: ['Gas', ' gas ', 'Winter'],
      });
      expect(res.status).toBe(201);
      const r = await json<RecordView>(res);
      expect(r).toMatchObject({
        status: 'draft',
        verification: 'reported',
        confidentiality: 'internal',
        ongoing: true,
        endDate: null,
        tags: ['gas', 'winter'],
        placeIds: [placeId],
        rightIds: [lifeId, healthId],
        authorId: dora.id,
        version: 1,
      });
      expect(r.texts.hy?.translationStatus).toBe('translated');
      expect(r.texts.en?.translationStatus).toBe('original');
      expect(r.affected).toMatchObject({ individuals: 120000, children: 30000, women: null });
      expect(r.verificationHistory).toHaveLength(1);
      const codes = [r.code];
      for (const t of ['second', 'third'])
        codes.push((await json<RecordView>(await post(dora.session, { texts: texts(t) }))).code);
      const numbers = codes.map((c) => {
        expect(c).toMatch(new RegExp(`^V-${year}-\\d{4}$`));
        return Number(c.slice(-4));
      });
      expect(numbers[1]).toBe(numbers[0]! + 1);
      expect(numbers[2]).toBe(numbers[0]! + 2);
    });

    it('hands out distinct codes to records created at the same time', async () => {
      const created = await Promise.all(
        Array.from({ length: 8 }, (_, i) => factory.record(`parallel ${i}`, { id: dora.id, role: 'documenter' })),
      );
      const numbers = created.map((r) => Number(r.code.slice(-4))).sort((a, b) => a - b);
      expect(new Set(numbers).size).toBe(8);
      expect(numbers[7]! - numbers[0]!).toBe(7);
    });

    it('refuses an end before the start, naming endDate; accepts a coarser end in the same month', async () => {
      const base = { texts: texts('dates'), startDate: '2023-09-19', startPrecision: 'day' };
      expect(
        await errorPaths(await post(dora.session, { ...base, endDate: '2023-08', endPrecision: 'month' })),
      ).toEqual(['endDate']);
      expect((await post(dora.session, { ...base, endDate: '2023-09', endPrecision: 'month' })).status).toBe(201);
      expect(await errorPaths(await post(dora.session, { ...base, startPrecision: 'month' }))).toEqual(['startDate']);
      expect(await errorPaths(await post(dora.session, { ...base, startDate: '2023-02-30' }))).toEqual(['startDate']);
      expect(
        await errorPaths(
          await post(dora.session, { ...base, ongoing: true, endDate: '2023-10-01', endPrecision: 'day' }),
        ),
      ).toEqual(['endDate']);
    });

    it('refuses unknown places and rights, categories and retired rights, with their index', async () => {
      expect(await errorPaths(await post(dora.session, { texts: texts('x'), placeIds: [placeId, 'nope'] }))).toEqual([
        'placeIds.1',
      ]);
      expect(await errorPaths(await post(dora.session, { texts: texts('x'), rightIds: ['nope'] }))).toEqual([
        'rightIds.0',
      ]);
      const ind = (await api().platform.rights.findByCode('IND'))!.id;
      expect(await errorPaths(await post(dora.session, { texts: texts('x'), rightIds: [ind] }))).toEqual([
        'rightIds.0',
      ]);
      const work = (await api().platform.rights.findByCode('IND-WORK'))!;
      await api().platform.rights.update(work.id, { retired: true }, null);
      expect(await errorPaths(await post(dora.session, { texts: texts('x'), rightIds: [work.id] }))).toEqual([
        'rightIds.0',
      ]);
      await api().platform.rights.update(work.id, { retired: false }, null);
    });

    it('enforces the limits and the required attribution', async () => {
      const paths = async (body: Json) => errorPaths(await post(dora.session, body));
      expect(await paths({ texts: {} })).toEqual(['texts']);
      expect(await paths({ texts: texts('x'.repeat(301)) })).toEqual(['texts.en.title']);
      expect(await paths({ texts: { fr: { title: 't', summary: 's'.repeat(2001) } } })).toEqual(['texts.fr.summary']);
      expect(await paths({ texts: { en: { title: 't', summary: 's', description: 'd'.repeat(50_001) } } })).toEqual([
        'texts.en.description',
      ]);
      expect(await paths({ texts: texts('x'), responsible: [{ name: 'Party A', attribution: ' ' }] })).toEqual([
        'responsible.0.attribution',
      ]);
      expect(await paths({ texts: texts('x'), affected: { children: -1 } })).toEqual(['affected.children']);
      expect(await paths({ texts: texts('x'), tags: ['x'.repeat(51)] })).toEqual(['tags.0']);
      expect(await paths({ texts: texts('x'), tags: Array.from({ length: 31 }, (_, i) => `t${i}`) })).toEqual(['tags']);
    });

    it('lets only record writers create (communicators read)', async () => {
      expect((await post(cole.session, { texts: texts('x') })).status).toBe(403);
    });
  });

  describe('workflow', () => {
    it('moves draft → in-review → approved → published, with four eyes on publishing', async () => {
      const own = await json<RecordView>(
        await post(rita.session, { texts: texts('Rita’s own'), confidentiality: 'public' }),
      );
      expect((await move(own.id, rita.session, { to: 'published' })).status).toBe(409);
      const invalid = await json<Problem>(await move(own.id, rita.session, { to: 'published' }));
      expect(invalid.type).toBe('urn:corridor:problem:invalid-transition');
      expect((await move(own.id, rita.session, { to: 'in-review' })).status).toBe(200);
      // A documenter cannot approve.
      expect((await move(own.id, dora.session, { to: 'approved' })).status).toBe(403);
      expect((await move(own.id, rita.session, { to: 'approved' })).status).toBe(200);
      const fourEyes = await move(own.id, rita.session, { to: 'published' });
      expect(fourEyes.status).toBe(403);
      expect((await json<Problem>(fourEyes)).type).toBe('urn:corridor:problem:four-eyes');
      const published = await move(own.id, rex.session, { to: 'published' });
      expect(published.status).toBe(200);
      const p = await json<RecordView>(published);
      expect(p.status).toBe('published');
      expect(p.publishedAt).not.toBeNull();
      expect((await api().request(`/api/public/records/${own.id}`)).status).toBe(200);

      // Unpublishing needs a reviewer and a reason; then the public no longer sees it.
      expect(await errorPaths(await move(own.id, rex.session, { to: 'unpublished' }))).toEqual(['reason']);
      expect((await move(own.id, dora.session, { to: 'unpublished', reason: 'x' })).status).toBe(403);
      const un = await move(own.id, rex.session, { to: 'unpublished', reason: 'A witness asked us to withdraw it' });
      expect(un.status).toBe(200);
      expect((await api().request(`/api/public/records/${own.id}`)).status).toBe(404);
      expect((await move(own.id, dora.session, { to: 'draft' })).status).toBe(200);
      const revs = await json<{ items: { action: string; note: string | null }[] }>(
        await call(`/${own.id}/revisions`, cole.session),
      );
      expect(revs.items.map((r) => r.action)).toEqual([
        'create',
        'transition:in-review',
        'transition:approved',
        'transition:published',
        'transition:unpublished',
        'transition:draft',
      ]);
      expect(revs.items[4]!.note).toBe('A witness asked us to withdraw it');
    });

    it('freezes an approved record’s content but lets its verification move on and its access tighten', async () => {
      const r = await json<RecordView>(
        await post(dora.session, { texts: texts('frozen'), confidentiality: 'internal' }),
      );
      await move(r.id, dora.session, { to: 'in-review' });
      const approved = await json<RecordView>(await move(r.id, rita.session, { to: 'approved' }));
      const edit = await patch(r.id, dora.session, { version: approved.version, texts: texts('changed') });
      expect(edit.status).toBe(409);
      expect((await json<Problem>(edit)).type).toBe('urn:corridor:problem:not-editable');
      expect((await patch(r.id, dora.session, { version: approved.version, confidentiality: 'public' })).status).toBe(
        409,
      );
      const ok = await patch(r.id, dora.session, { version: approved.version, verification: 'disputed' });
      expect(ok.status).toBe(200);
    });
  });

  describe('changes and history', () => {
    it('keeps every verification change with who, when and the note', async () => {
      const r = await factory.record('verified one', { id: dora.id, role: 'documenter' });
      const res = await patch(r.id, rita.session, {
        version: r.version,
        verification: 'corroborated',
        verificationNote: 'Two independent sources',
      });
      expect(res.status).toBe(200);
      const after = await json<RecordView>(res);
      expect(after.verification).toBe('corroborated');
      expect(after.verificationHistory).toHaveLength(2);
      expect(after.verificationHistory[1]).toMatchObject({
        status: 'corroborated',
        note: 'Two independent sources',
        actorId: rita.id,
      });
    });

    it('refuses a stale write (409 stale), by body version or If-Match', async () => {
      const r = await factory.record('concurrent', { id: dora.id, role: 'documenter' });
      const first = await patch(r.id, dora.session, { version: 1, violationType: 'blockade' });
      expect(first.status).toBe(200);
      expect((await json<RecordView>(first)).version).toBe(2);
      const stale = await patch(r.id, rita.session, { version: 1, violationType: 'threat' });
      expect(stale.status).toBe(409);
      expect((await json<Problem>(stale)).type).toBe('urn:corridor:problem:stale');
      expect((await patch(r.id, rita.session, { violationType: 'threat' }, { 'if-match': '"1"' })).status).toBe(409);
      expect((await patch(r.id, rita.session, { violationType: 'threat' }, { 'if-match': '"2"' })).status).toBe(200);
      expect(await errorPaths(await patch(r.id, rita.session, { violationType: 'other' }))).toEqual(['version']);
      expect((await json<RecordView>(await call(`/${r.id}`, cole.session))).violationType).toBe('threat');
    });

    it('diffs two revisions field by field and restores one as a new revision', async () => {
      const r = await factory.record('Original title', { id: dora.id, role: 'documenter' }, { tags: ['a'] });
      await patch(r.id, dora.session, { version: 1, texts: texts('Edited title'), tags: ['a', 'b'] });
      const d = await json<{ changes: { path: string; before: unknown; after: unknown }[] }>(
        await call(`/${r.id}/diff?from=1&to=2`, cole.session),
      );
      expect(d.changes).toContainEqual({ path: 'texts.en.title', before: 'Original title', after: 'Edited title' });
      expect(d.changes).toContainEqual({ path: 'tags', before: ['a'], after: ['a', 'b'] });
      expect(d.changes.map((c) => c.path)).not.toContain('confidentiality');

      const one = await json<{ snapshot: { texts: { en: { title: string } } } }>(
        await call(`/${r.id}/revisions/1`, cole.session),
      );
      expect(one.snapshot.texts.en.title).toBe('Original title');
      expect((await call(`/${r.id}/revisions/99`, cole.session)).status).toBe(404);

      const restored = await call(`/${r.id}/revisions/1/restore`, rita.session, { method: 'POST' });
      expect(restored.status).toBe(200);
      const after = await json<RecordView>(restored);
      expect(after.texts.en?.title).toBe('Original title');
      expect(after.tags).toEqual(['a']);
      expect(after.status).toBe('draft');
      expect(after.version).toBe(3);
      const revs = await json<{ items: { rev: number; action: string; note: string | null }[] }>(
        await call(`/${r.id}/revisions`, cole.session),
      );
      expect(revs.items.map((x) => [x.rev, x.action])).toEqual([
        [1, 'create'],
        [2, 'update'],
        [3, 'restore'],
      ]);
      expect(revs.items[2]!.note).toBe('restored revision 1');
      // Communicators read history but cannot restore.
      expect((await call(`/${r.id}/revisions/1/restore`, cole.session, { method: 'POST' })).status).toBe(403);
    });

    it('links records by type, never to themselves, and shows the target’s code', async () => {
      const cause = await factory.record('cause', { id: dora.id, role: 'documenter' });
      const effect = await factory.record('effect', { id: dora.id, role: 'documenter' });
      expect(
        await errorPaths(
          await patch(effect.id, dora.session, { version: 1, links: [{ kind: 'caused-by', recordId: effect.id }] }),
        ),
      ).toEqual(['links.0.recordId']);
      expect(
        await errorPaths(
          await patch(effect.id, dora.session, { version: 1, links: [{ kind: 'caused-by', recordId: 'nope' }] }),
        ),
      ).toEqual(['links.0.recordId']);
      const linked = await json<RecordView>(
        await patch(effect.id, dora.session, { version: 1, links: [{ kind: 'caused-by', recordId: cause.id }] }),
      );
      expect(linked.links).toEqual([{ kind: 'caused-by', recordId: cause.id, code: cause.code }]);
    });

    it('writes an audit entry for every change', async () => {
      const r = await factory.record('audited', { id: dora.id, role: 'documenter' });
      await move(r.id, dora.session, { to: 'in-review' });
      const entries = await api().platform.audit.list({ entityType: 'record', entityId: r.id, limit: 50 });
      const actions = entries.filter((e) => e.entityId === r.id).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['records.create', 'records.transition:in-review']));
      expect((await api().platform.audit.verify()).ok).toBe(true);
    });

    it('counts a right cited by a record as in use: it cannot be deleted', async () => {
      const food = (await api().platform.rights.findByCode('IND-FOOD'))!;
      await factory.record('hunger', { id: dora.id, role: 'documenter' }, { rightIds: [food.id] });
      expect(await api().platform.rights.inUse(food.id)).toBe(true);
      await expect(api().platform.rights.delete(food.id, null)).rejects.toMatchObject({ status: 409 });
    });
  });

  describe('list', () => {
    it('filters by tag, place, right, dates, status and verification, and pages with a cursor', async () => {
      const who = { id: dora.id, role: 'documenter' as const };
      const filterTag = 'filtertest';
      const a = await factory.record('list a', who, {
        tags: [filterTag],
        placeIds: [placeId],
        startDate: '2023-01',
        startPrecision: 'month',
        endDate: '2023-03-10',
        endPrecision: 'day',
      });
      const b = await factory.record('list b', who, {
        tags: [filterTag],
        rightIds: [lifeId],
        startDate: '2023-09-19',
        startPrecision: 'day',
        ongoing: true,
        verification: 'verified',
      });
      const c = await factory.record('list c', who, { tags: [filterTag], startDate: '2024', startPrecision: 'year' });
      const ids = async (q: string) => {
        const res = await call(`?tag=${filterTag}&${q}`, cole.session);
        expect(res.status, q).toBe(200);
        const page = await json<{ items: { id: string }[]; total: { value: number } }>(res);
        return page.items.map((i) => i.id);
      };
      expect(await ids('')).toEqual([c.id, b.id, a.id]);
      expect(await ids(`place=${placeId}`)).toEqual([a.id]);
      expect(await ids(`right=${lifeId}`)).toEqual([b.id]);
      expect(await ids('verification=verified')).toEqual([b.id]);
      expect(await ids('from=2023-03-01&to=2023-12-31')).toEqual([b.id, a.id]);
      expect(await ids('from=2023-03-11')).toEqual([c.id, b.id]);
      expect(await ids('to=2023-06')).toEqual([a.id]);
      expect(await ids('status=published')).toEqual([]);
      expect((await call('?status=nope', cole.session)).status).toBe(422);

      const first = await json<{ items: { id: string }[]; total: { value: number }; nextCursor: string | null }>(
        await call(`?tag=${filterTag}&limit=2`, cole.session),
      );
      expect(first.items.map((i) => i.id)).toEqual([c.id, b.id]);
      expect(first.total).toEqual({ value: 3, approx: false });
      const second = await json<{ items: { id: string }[]; nextCursor: string | null }>(
        await call(`?tag=${filterTag}&limit=2&cursor=${first.nextCursor}`, cole.session),
      );
      expect(second.items.map((i) => i.id)).toEqual([a.id]);
      expect(second.nextCursor).toBeNull();
    });
  });

  describe('named access', () => {
    it('lets only the author or an admin name users, and only existing ones', async () => {
      const r = await factory.record('named', { id: dora.id, role: 'documenter' }, { confidentiality: 'restricted' });
      const put = (session: string, userIds: string[]) =>
        call(`/${r.id}/access`, session, { method: 'PUT', json: { userIds } });
      // Rita cannot see it: 404, not 403.
      expect((await put(rita.session, [rita.id])).status).toBe(404);
      expect(await errorPaths(await put(dora.session, [cole.id, 'nope']))).toEqual(['userIds.1']);
      const ok = await put(dora.session, [rita.id]);
      expect(ok.status).toBe(200);
      expect(await json(ok)).toEqual({ userIds: [rita.id], groupIds: [] });
      expect((await call(`/${r.id}`, rita.session)).status).toBe(200);
      // Named, but not the author nor an admin: cannot change the list.
      expect((await put(rita.session, [rita.id, rex.id])).status).toBe(403);
      // Nor lift the restriction.
      const seen = await json<RecordView>(await call(`/${r.id}`, rita.session));
      expect((await patch(r.id, rita.session, { version: seen.version, confidentiality: 'internal' })).status).toBe(
        403,
      );
      expect((await patch(r.id, dora.session, { version: seen.version, confidentiality: 'internal' })).status).toBe(
        200,
      );
    });
  });
});
