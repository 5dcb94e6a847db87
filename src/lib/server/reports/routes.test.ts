import { beforeAll, expect, it } from 'vitest';
import { describeEachApi, type SignedIn } from '../testing/api.js';
import { createFactory } from '../testing/factories.js';
import type { Edition, Report } from './schema.js';

describeEachApi('reports: API', (api) => {
  let communicator: SignedIn;
  let reviewer: SignedIn;
  let report: Report;
  let draft: Edition;

  beforeAll(async () => {
    const f = createFactory(api());
    communicator = await f.signedIn('cora', { role: 'communicator' });
    reviewer = await f.signedIn('remy', { role: 'reviewer' });
    await api().platform.crisis.putCrisis(
      { name: { hy: 'Լաչինի միջանցքի շրջափակում' }, startsAt: '2022-12-12T10:30', timeZone: 'Asia/Yerevan' },
      null,
    );
  });

  it('a communicator creates a report and builds a draft; progress is polled on the edition', async () => {
    const created = await api().request('/api/reports', {
      method: 'POST',
      session: communicator.session,
      json: { titles: { en: 'Rights during the blockade' } },
    });
    expect(created.status).toBe(201);
    report = (await created.json()) as Report;

    const bad = await api().request(`/api/reports/${report.id}/editions`, {
      method: 'POST',
      session: communicator.session,
      json: { asOf: '2023-02-30', lang: 'xx' },
    });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors.map((e) => e.path).sort()).toEqual([
      'asOf',
      'lang',
    ]);

    const started = await api().request(`/api/reports/${report.id}/editions`, {
      method: 'POST',
      session: communicator.session,
      json: { asOf: '2023-01-30', lang: 'en' },
    });
    expect(started.status).toBe(202);
    const building = (await started.json()) as Edition;
    expect(building.status).toBe('building');
    expect(started.headers.get('location')).toBe(`/api/editions/${building.id}`);
    await api().platform.reports.finished(building.id);
    const polled = await api().request(`/api/editions/${building.id}`, { session: communicator.session });
    draft = (await polled.json()) as Edition;
    expect(draft).toMatchObject({ status: 'draft', progress: 100, stage: 'done' });
    expect(draft.content?.keyNumbers.day?.value).toBe(50);
    expect(draft.content?.crisis?.name).toEqual({ text: 'Լաչինի միջանցքի շրջափակում', lang: 'hy', fallback: true });
  });

  it('keeps drafts off the public routes', async () => {
    for (const path of ['', '/pdf', '/card'])
      expect((await api().request(`/api/public/editions/${draft.id}${path}`)).status).toBe(404);
    const list = (await (await api().request('/api/public/editions')).json()) as { items: unknown[] };
    expect(list.items).toEqual([]);
    const pdf = await api().request(`/api/editions/${draft.id}/pdf`, { session: communicator.session });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
  });

  it('only a reviewer or admin publishes; the public then gets the edition, its PDF and cards', async () => {
    const refused = await api().request(`/api/editions/${draft.id}/publish`, {
      method: 'POST',
      session: communicator.session,
    });
    expect(refused.status).toBe(403);
    const ok = await api().request(`/api/editions/${draft.id}/publish`, { method: 'POST', session: reviewer.session });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as Edition).status).toBe('published');

    const list = (await (await api().request('/api/public/editions')).json()) as { items: Edition[] };
    expect(list.items.map((e) => e.id)).toEqual([draft.id]);
    const one = await api().request(`/api/public/editions/${draft.id}`);
    expect(one.status).toBe(200);
    const body = (await one.json()) as Record<string, unknown>;
    expect(body.contentSha256).toBe(draft.contentSha256);
    expect(body).not.toHaveProperty('failure');

    const pdf = await api().request(`/api/public/editions/${draft.id}/pdf`);
    expect(pdf.headers.get('cache-control')).toContain('immutable');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    const png = await api().request(`/api/public/editions/${draft.id}/card?kind=day&format=png`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await png.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    const svg = await api().request(`/api/public/editions/${draft.id}/card?kind=day&format=svg`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(await svg.text()).toContain('<svg');
    // There is no disruption in this crisis: no such card.
    expect((await api().request(`/api/public/editions/${draft.id}/card?kind=disruption`)).status).toBe(404);

    const del = await api().request(`/api/reports/${report.id}`, { method: 'DELETE', session: reviewer.session });
    expect(del.status).toBe(409);
  });

  it("makes live share cards of today's figures for the dashboard, in each language", async () => {
    const card = (q: string) => api().request(`/api/public/cards/live?${q}`);
    const day = await card('kind=day&lang=hy');
    expect(day.status).toBe(200);
    expect(day.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await day.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    const svg = await card('kind=day&lang=ru&format=svg');
    expect(await svg.text()).toContain('<svg');
    // Nothing cut yet: no card; once gas is cut, there is one.
    expect((await card('kind=disruption&item=gas')).status).toBe(404);
    await api().platform.crisis.createDisruption({ service: 'gas', severity: 'complete', start: '2023-01-10' }, null);
    expect((await card('kind=disruption&item=gas&lang=fr')).status).toBe(200);
    expect((await card('kind=day&lang=de')).status).toBe(422);
  });
});
