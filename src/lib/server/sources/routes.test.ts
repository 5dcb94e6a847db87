import { beforeAll, expect, it } from 'vitest';
import { describeEachApi } from '../testing/api.js';
import { createFactory, type Factory } from '../testing/factories.js';
import type { Source, SourceSummary } from './index.js';

type Problem = { status: number; errors?: { path: string; message: string }[] };

const HASH = 'a'.repeat(64);

describeEachApi('sources API', (api) => {
  let factory: Factory;
  let documenter: string;
  let reviewer: string;
  let communicator: string;
  let reviewerId: string;
  const json = async <T>(res: Response) => (await res.json()) as T;
  const post = (body: unknown, session = documenter) =>
    api().request('/api/sources', { method: 'POST', session, json: body });
  const patch = (id: string, body: unknown) =>
    api().request(`/api/sources/${id}`, { method: 'PATCH', session: documenter, json: body });
  const grade = (id: string, body: unknown, session: string) =>
    api().request(`/api/sources/${id}/grade`, { method: 'POST', session, json: body });
  const errorPaths = async (res: Response) => {
    expect(res.status).toBe(422);
    return (await json<Problem>(res)).errors!.map((e) => e.path);
  };
  const titles = async (query: string) => {
    const res = await api().request(`/api/sources${query}`, { session: communicator });
    expect(res.status, query).toBe(200);
    return (await json<{ items: SourceSummary[] }>(res)).items.map((s) => s.title).sort();
  };
  const auditOf = async (id: string) =>
    (await api().platform.audit.list({ entityType: 'source', entityId: id, limit: 20 })).map((e) => e.action);

  beforeAll(async () => {
    factory = createFactory(api());
    documenter = (await factory.signedIn('dora', { role: 'documenter' })).session;
    const rita = await factory.signedIn('rita', { role: 'reviewer' });
    reviewer = rita.session;
    reviewerId = rita.userId;
    communicator = (await factory.signedIn('cole', { role: 'communicator' })).session;
    await factory.source('Ombudsman report on the blockade', {
      type: 'study-report',
      date: '2023-01-12',
      language: 'en',
      publisher: 'Human Rights Defender',
    });
    await factory.source('Communiqué de presse', { language: 'fr', date: '2023-01-01', datePrecision: 'month' });
    await factory.source('Interview in Goris', { type: 'interview', language: 'hy', personRef: 'pp-0001' });
  });

  it('registers an open source with its URL, capture time and archived copy metadata, audited', async () => {
    const res = await post({
      type: 'open-source',
      title: 'Video of the checkpoint',
      date: '2023-01',
      url: 'https://example.org/video/1',
      capturedAt: '2023-01-13T08:00:00Z',
      archive: { sha256: HASH, mediaType: 'video/mp4', size: 1_048_576 },
      language: 'hy-Latn',
    });
    // A month given as a date is refused: dates are YYYY-MM-DD with a precision.
    expect(await errorPaths(res)).toEqual(['date']);
    const ok = await post({
      type: 'open-source',
      title: 'Video of the checkpoint',
      date: '2023-01-01',
      datePrecision: 'month',
      url: 'https://example.org/video/1',
      capturedAt: '2023-01-13T08:00:00Z',
      archive: { sha256: HASH, mediaType: 'video/mp4', size: 1_048_576 },
      language: 'hy-Latn',
    });
    expect(ok.status).toBe(201);
    const source = await json<Source>(ok);
    expect(source).toMatchObject({
      type: 'open-source',
      datePrecision: 'month',
      url: 'https://example.org/video/1',
      archive: { sha256: HASH, mediaType: 'video/mp4', size: 1_048_576 },
      reliability: null,
      credibility: null,
      gradedAt: null,
      records: [],
    });
    const got = await json<Source>(await api().request(`/api/sources/${source.id}`, { session: communicator }));
    expect(got).toEqual(source);
    expect(await auditOf(source.id)).toEqual(['sources.create']);
  });

  it('refuses a URL that is not http(s), a malformed hash, and rules across fields, with field paths', async () => {
    expect(await errorPaths(await post({ type: 'open-source', title: 'x', url: 'javascript:alert(1)' }))).toEqual([
      'url',
    ]);
    expect(await errorPaths(await post({ type: 'open-source', title: 'x', url: 'ftp://example.org/a' }))).toEqual([
      'url',
    ]);
    expect(
      await errorPaths(await post({ type: 'open-source', title: 'x', url: `https://e.org/${'a'.repeat(2000)}` })),
    ).toEqual(['url']);
    expect(
      await errorPaths(
        await post({
          type: 'open-source',
          title: 'x',
          url: 'https://example.org',
          archive: { sha256: 'A'.repeat(64), mediaType: 'video/mp4', size: 1 },
        }),
      ),
    ).toEqual(['archive.sha256']);
    expect(
      await errorPaths(
        await post({
          type: 'open-source',
          title: 'x',
          url: 'https://example.org',
          archive: { sha256: 'ab', mediaType: 'not a type', size: -1 },
        }),
      ),
    ).toEqual(['archive.sha256', 'archive.mediaType', 'archive.size']);
    expect(await errorPaths(await post({ type: 'open-source', title: 'x' }))).toEqual(['url']);
    expect(await errorPaths(await post({ type: 'media-report', title: 'x', personRef: 'pp-1' }))).toEqual([
      'personRef',
    ]);
    expect(await errorPaths(await post({ type: 'interview', title: 'x'.repeat(301), language: 'not a tag' }))).toEqual([
      'title',
      'language',
    ]);
    expect(await errorPaths(await post({ type: 'official-document', title: 'x', datePrecision: 'day' }))).toEqual([
      'datePrecision',
    ]);
    expect(await errorPaths(await post({ type: 'media-report', title: 'x', inquiryId: 'no-such' }))).toEqual([
      'inquiryId',
    ]);
    expect(await errorPaths(await post({ type: 'inquiry', title: 'x', inquiryId: 'no-such' }))).toEqual(['inquiryId']);
    expect(await titles('?q=x')).toEqual([]);
  });

  it('keeps an interviewee as an opaque reference, and a source of type inquiry points at its inquiry', async () => {
    const interview = factory.sourceNamed('Interview in Goris');
    expect(interview).toMatchObject({ type: 'interview', personRef: 'pp-0001', publisher: null });
    const inquiry = await factory.inquiry('Gas supply interruption');
    const res = await post({ type: 'inquiry', title: 'Letter on the gas supply', inquiryId: inquiry.id });
    expect(res.status).toBe(201);
    const s = await json<Source>(res);
    expect(s.inquiryId).toBe(inquiry.id);
    // The inquiry cannot go while a source cites it.
    const del = (id: string) => api().request(`/api/inquiries/${id}`, { method: 'DELETE', session: documenter });
    expect((await del(inquiry.id)).status).toBe(409);
    expect((await api().request(`/api/sources/${s.id}`, { method: 'DELETE', session: documenter })).status).toBe(204);
    expect((await del(inquiry.id)).status).toBe(204);
  });

  it('grades through its own endpoint: a reviewer may, a documenter may not (403); who and when are kept', async () => {
    const report = factory.sourceNamed('Ombudsman report on the blockade');
    expect((await grade(report.id, { reliability: 'B', credibility: 2 }, documenter)).status).toBe(403);
    expect((await grade(report.id, { reliability: 'B', credibility: 2 }, communicator)).status).toBe(403);
    expect(await errorPaths(await grade(report.id, { reliability: 'G', credibility: 7 }, reviewer))).toEqual([
      'reliability',
      'credibility',
    ]);
    expect(await errorPaths(await grade(report.id, { reliability: 'a', credibility: 0 }, reviewer))).toEqual([
      'reliability',
      'credibility',
    ]);
    expect(await errorPaths(await grade(report.id, { reliability: 'A', credibility: 2.5 }, reviewer))).toEqual([
      'credibility',
    ]);
    expect((await grade('no-such-id', { reliability: 'B', credibility: 2 }, reviewer)).status).toBe(404);
    const res = await grade(report.id, { reliability: 'B', credibility: 2 }, reviewer);
    expect(res.status).toBe(200);
    const graded = await json<Source>(res);
    expect(graded).toMatchObject({ reliability: 'B', credibility: 2, gradedBy: reviewerId });
    expect(graded.gradedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    // Editing never grades: a grade slipped into a PATCH is ignored.
    const edited = await json<Source>(await patch(report.id, { reliability: 'A', credibility: 1, title: 'Report' }));
    expect(edited).toMatchObject({ title: 'Report', reliability: 'B', credibility: 2 });
    await patch(report.id, { title: 'Ombudsman report on the blockade' });
    expect(await auditOf(report.id)).toEqual(['sources.update', 'sources.update', 'sources.grade', 'sources.create']);
    expect(await titles('?graded=true')).toEqual(['Ombudsman report on the blockade']);
    expect(await titles('?graded=false')).not.toContain('Ombudsman report on the blockade');
  });

  it('filters by type, language and a case-insensitive piece of the title', async () => {
    expect(await titles('?type=interview')).toEqual(['Interview in Goris']);
    expect(await titles('?language=HY')).toEqual(['Interview in Goris']);
    expect(await titles('?q=BLOCKADE')).toEqual(['Ombudsman report on the blockade']);
    expect(await titles('?language=fr')).toEqual(['Communiqué de presse']);
    expect(await titles('?q=%25')).toEqual([]);
    expect(await titles('?q=_')).toEqual([]);
    expect((await api().request('/api/sources?type=rumour', { session: communicator })).status).toBe(422);
    const first = await json<{ items: SourceSummary[]; nextOffset: number | null }>(
      await api().request('/api/sources?limit=1', { session: communicator }),
    );
    expect(first.items).toHaveLength(1);
    expect(first.nextOffset).toBe(1);
  });

  it('edits, clears and deletes a source, each write audited', async () => {
    const s = await factory.source('Press release 2', { date: '2023-02-01', publisher: 'Office' });
    expect(s.datePrecision).toBe('day');
    const cleared = await json<Source>(await patch(s.id, { date: null, publisher: null, language: 'ru' }));
    expect(cleared).toMatchObject({ date: null, datePrecision: null, publisher: null, language: 'ru' });
    expect(await errorPaths(await patch(s.id, { type: 'open-source' }))).toEqual(['url']);
    expect((await patch('no-such-id', { title: 'x' })).status).toBe(404);
    const del = () => api().request(`/api/sources/${s.id}`, { method: 'DELETE', session: documenter });
    expect((await del()).status).toBe(204);
    expect((await del()).status).toBe(404);
    expect(await auditOf(s.id)).toEqual(['sources.delete', 'sources.update', 'sources.create']);
    expect(await api().platform.audit.verify()).toMatchObject({ ok: true });
  });
});
