import { beforeAll, expect, it } from 'vitest';
import { describeEachApi } from '../testing/api.js';
import { createFactory, type Factory } from '../testing/factories.js';
import type { Inquiry, InquirySummary } from './index.js';

type Problem = { status: number; errors?: { path: string; message: string }[] };

const HASH = '0123456789abcdef'.repeat(4);

describeEachApi('inquiries API', (api) => {
  let factory: Factory;
  let documenter: string;
  let reviewer: string;
  let communicator: string;
  const json = async <T>(res: Response) => (await res.json()) as T;
  const post = (body: unknown, session = documenter) =>
    api().request('/api/inquiries', { method: 'POST', session, json: body });
  const patch = (id: string, body: unknown) =>
    api().request(`/api/inquiries/${id}`, { method: 'PATCH', session: documenter, json: body });
  const errorPaths = async (res: Response) => {
    expect(res.status).toBe(422);
    return (await json<Problem>(res)).errors!.map((e) => e.path);
  };
  const auditOf = async (id: string) =>
    (await api().platform.audit.list({ entityType: 'inquiry', entityId: id, limit: 20 })).map((e) => e.action);
  const base = {
    body: 'Ministry of Energy',
    subject: 'Repair of the high-voltage line',
    sentOn: '2023-01-10',
    dueOn: '2023-02-10',
  };

  beforeAll(async () => {
    factory = createFactory(api());
    documenter = (await factory.signedIn('dora', { role: 'documenter' })).session;
    reviewer = (await factory.signedIn('rita', { role: 'reviewer' })).session;
    communicator = (await factory.signedIn('cole', { role: 'communicator' })).session;
  });

  it('records an inquiry with its attachments as metadata, audited; reviewers and communicators may only read', async () => {
    const res = await post({
      ...base,
      reference: '01/2023-17',
      attachments: [{ name: 'letter.pdf', sha256: HASH, mediaType: 'application/pdf', size: 52_000 }],
    });
    expect(res.status).toBe(201);
    const i = await json<Inquiry>(res);
    expect(i).toMatchObject({
      ...base,
      reference: '01/2023-17',
      respondedOn: null,
      responseSummary: null,
      // Long past due by the real clock.
      status: 'overdue',
      attachments: [{ name: 'letter.pdf', sha256: HASH, mediaType: 'application/pdf', size: 52_000 }],
      records: [],
    });
    expect((await post(base, reviewer)).status).toBe(403);
    expect((await post(base, communicator)).status).toBe(403);
    const got = await api().request(`/api/inquiries/${i.id}`, { session: communicator });
    expect(await json<Inquiry>(got)).toEqual(i);
    expect(await auditOf(i.id)).toEqual(['inquiries.create']);
  });

  it('turns answered once the response is recorded, and refuses dates out of order (422)', async () => {
    const i = await factory.inquiry('Access of the ICRC');
    const answered = await patch(i.id, { respondedOn: '2023-02-15', responseSummary: 'The request was declined.' });
    expect(answered.status).toBe(200);
    expect(await json<Inquiry>(answered)).toMatchObject({ status: 'answered', respondedOn: '2023-02-15' });
    expect(await errorPaths(await patch(i.id, { respondedOn: '2023-01-09' }))).toEqual(['respondedOn']);
    expect(await errorPaths(await patch(i.id, { dueOn: '2023-01-01' }))).toEqual(['dueOn']);
    expect(await errorPaths(await post({ ...base, sentOn: '2023-03-01' }))).toEqual(['dueOn']);
    expect(await errorPaths(await post({ ...base, respondedOn: '2022-12-31' }))).toEqual(['respondedOn']);
    const reopened = await json<Inquiry>(await patch(i.id, { respondedOn: null, responseSummary: null }));
    expect(reopened).toMatchObject({ status: 'overdue', respondedOn: null, responseSummary: null });
    expect(await auditOf(i.id)).toEqual(['inquiries.update', 'inquiries.update', 'inquiries.create']);
  });

  it('refuses other bad input with field paths', async () => {
    expect(
      await errorPaths(
        await post({
          body: 'x'.repeat(301),
          subject: 'y'.repeat(501),
          sentOn: '10/01/2023',
          dueOn: '2023-02-30',
          responseSummary: 'z'.repeat(5001),
          attachments: [{ name: '', sha256: 'xyz', mediaType: 'pdf', size: -1 }],
        }),
      ),
    ).toEqual([
      'body',
      'subject',
      'sentOn',
      'dueOn',
      'responseSummary',
      'attachments.0.name',
      'attachments.0.sha256',
      'attachments.0.mediaType',
      'attachments.0.size',
    ]);
    expect((await api().request('/api/inquiries?status=lost', { session: communicator })).status).toBe(422);
    expect((await patch('no-such-id', { subject: 'x' })).status).toBe(404);
  });

  it('lists overdue first, filters by status and body, and deletes an inquiry, audited', async () => {
    const future = await factory.inquiry('Future', { sentOn: '2023-01-10', dueOn: '2999-01-01' });
    const res = await api().request('/api/inquiries', { session: communicator });
    const { items } = await json<{ items: InquirySummary[] }>(res);
    const statuses = items.map((i) => i.status);
    expect(statuses).toEqual([...statuses].sort((a, b) => rank(a) - rank(b)));
    expect(statuses[0]).toBe('overdue');
    const sent = await json<{ items: InquirySummary[] }>(
      await api().request('/api/inquiries?status=sent&body=ENERGY', { session: communicator }),
    );
    expect(sent.items).toEqual([]);
    const sentAll = await json<{ items: InquirySummary[] }>(
      await api().request('/api/inquiries?status=sent', { session: communicator }),
    );
    expect(sentAll.items.map((i) => i.id)).toEqual([future.id]);
    const del = () => api().request(`/api/inquiries/${future.id}`, { method: 'DELETE', session: documenter });
    expect((await del()).status).toBe(204);
    expect((await del()).status).toBe(404);
    expect(await auditOf(future.id)).toEqual(['inquiries.delete', 'inquiries.create']);
    expect(await api().platform.audit.verify()).toMatchObject({ ok: true });
  });
});

const rank = (s: string) => ['overdue', 'sent', 'answered'].indexOf(s);
