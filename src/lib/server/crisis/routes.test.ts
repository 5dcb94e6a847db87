import { beforeAll, expect, it } from 'vitest';
import { describeEachApi } from '../testing/api.js';
import { createFactory, type Factory } from '../testing/factories.js';
import type { Crisis, Disruption, Indicator, IndicatorSummary, KeyFigure, PublicCounters } from './index.js';

type Problem = { status: number; type: string; errors?: { path: string; message: string }[] };

const SEED_CRISIS = {
  name: { en: 'Blockade of the Lachin corridor', fr: 'Blocus du corridor de Latchine' },
  startsAt: '2022-12-12T10:30',
  timeZone: 'Asia/Yerevan',
};

describeEachApi('crisis API', (api) => {
  let factory: Factory;
  let documenter: string;
  let reviewer: string;
  let communicator: string;
  let journalist: string;
  let sourceId: string;
  const json = async <T>(res: Response) => (await res.json()) as T;
  const call = (method: string, path: string, body?: unknown, session = documenter) =>
    api().request(`/api${path}`, { method, session, ...(body === undefined ? {} : { json: body }) });
  const problem = async (res: Response, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    return json<Problem>(res);
  };
  const errorPaths = async (res: Response, status = 422) => (await problem(res, status)).errors!.map((e) => e.path);
  const auditOf = async (entityType: string, id: string) =>
    (await api().platform.audit.list({ entityType, entityId: id, limit: 50 })).map((e) => e.action);

  beforeAll(async () => {
    factory = createFactory(api());
    documenter = (await factory.signedIn('dora', { role: 'documenter' })).session;
    reviewer = (await factory.signedIn('rita', { role: 'reviewer' })).session;
    communicator = (await factory.signedIn('cole', { role: 'communicator' })).session;
    journalist = (await factory.signedIn('jo', { role: 'journalist' })).session;
    sourceId = (await factory.source('Ombudsman, 100 days', { type: 'study-report' })).id;
  });

  it('answers 404 before the crisis is set up, and refuses data that needs its start (409)', async () => {
    await problem(await call('GET', '/crisis'), 404);
    await problem(await api().request('/api/public/counters'), 404);
    await problem(
      await call('POST', '/disruptions', { service: 'gas', severity: 'complete', start: '2023-01-01' }),
      409,
    );
  });

  it('sets the crisis from a wall time in its zone, with population figures citing sources; audited', async () => {
    expect(
      (await call('PUT', '/crisis', { ...SEED_CRISIS, population: [] }, communicator)).status,
      'communicators read only',
    ).toBe(403);
    expect(
      await errorPaths(
        await call('PUT', '/crisis', {
          ...SEED_CRISIS,
          population: [{ label: 'Population', value: 120_000, sourceId: 'no-such-source' }],
        }),
      ),
    ).toEqual(['population.0.sourceId']);
    expect(await errorPaths(await call('PUT', '/crisis', { ...SEED_CRISIS, timeZone: 'Mars/Olympus' }))).toEqual([
      'timeZone',
    ]);
    expect(
      await errorPaths(await call('PUT', '/crisis', { ...SEED_CRISIS, status: 'ended', endsAt: '2022-12-01T00:00' })),
    ).toEqual(['endsAt']);
    expect(await errorPaths(await call('PUT', '/crisis', { ...SEED_CRISIS, name: {} }))).toEqual(['name']);
    expect(await errorPaths(await call('PUT', '/crisis', { ...SEED_CRISIS, startsAt: '2022-13-45T10:30' }))).toEqual([
      'startsAt',
    ]);
    expect(await errorPaths(await call('PUT', '/crisis', { ...SEED_CRISIS, startsAt: '2022-12-12T25:30' }))).toEqual([
      'startsAt',
    ]);

    const res = await call('PUT', '/crisis', {
      ...SEED_CRISIS,
      population: [
        { label: { en: 'Population', hy: 'Բնակչություն' }, value: 120_000, sourceId },
        { label: 'Children', value: 30_000, sourceId },
      ],
    });
    expect(res.status).toBe(200);
    const c = await json<Crisis>(res);
    expect(c).toMatchObject({
      startsAt: '2022-12-12T06:30:00.000Z',
      startsAtLocal: '2022-12-12T10:30',
      startDate: '2022-12-12',
      timeZone: 'Asia/Yerevan',
      status: 'ongoing',
      endsAt: null,
      population: [
        { label: { en: 'Population', hy: 'Բնակչություն' }, value: 120_000, sourceId },
        { label: { en: 'Children' }, value: 30_000, sourceId },
      ],
    });
    expect(await json<Crisis>(await call('GET', '/crisis', undefined, communicator))).toEqual(c);
    expect((await call('GET', '/crisis', undefined, journalist)).status).toBe(403);
    expect(await auditOf('crisis', 'current')).toEqual(['crisis.put']);

    // An offset given wins over the zone; leaving the population out keeps it.
    const again = await json<Crisis>(
      await call('PUT', '/crisis', { ...SEED_CRISIS, startsAt: '2022-12-12T06:30:00Z' }, reviewer),
    );
    expect(again.startsAtLocal).toBe('2022-12-12T10:30');
    expect(again.population).toHaveLength(2);
  });

  it('counts days publicly: 2023-01-30 is day 50, 2023-03-21 day 100; a date before the start is a 400', async () => {
    const day50 = await api().request('/api/public/counters?asOf=2023-01-30');
    expect(day50.status).toBe(200);
    expect(day50.headers.get('cache-control')).toContain('public');
    expect(await json<PublicCounters>(day50)).toMatchObject({ day: 50, asOf: '2023-01-30' });
    expect((await json<PublicCounters>(await api().request('/api/public/counters?asOf=2023-03-21'))).day).toBe(100);
    expect((await json<PublicCounters>(await api().request('/api/public/counters?asOf=2022-12-12'))).day).toBe(1);
    const before = await problem(await api().request('/api/public/counters?asOf=2022-12-11'), 400);
    expect(before.errors).toEqual([{ path: 'asOf', message: expect.stringContaining('2022-12-12') }]);
    await problem(await api().request('/api/public/counters?asOf=2023-02-30'), 422);
    expect(await api().platform.crisis.dayOf('2023-01-30')).toBe(50);
    await expect(api().platform.crisis.dayOf('2022-12-11')).rejects.toMatchObject({ status: 400 });
  });

  it('records disruptions with overlapping intervals and counts each day once', async () => {
    const res = await call('POST', '/disruptions', {
      service: 'electricity',
      severity: 'complete',
      start: '2023-01-09',
      end: '2023-01-20',
      area: 'Whole region',
      sourceId,
      intervals: [{ start: '2023-01-15', end: '2023-01-25', severity: 'partial' }],
    });
    expect(res.status).toBe(201);
    const d = await json<Disruption>(res);
    expect(d).toMatchObject({ service: 'electricity', area: 'Whole region', sourceId, illustrative: false });
    expect(d.intervals.map((i) => [i.start, i.end, i.severity])).toEqual([
      ['2023-01-09', '2023-01-20', 'complete'],
      ['2023-01-15', '2023-01-25', 'partial'],
    ]);
    // One more overlapping the first two, still going on.
    const more = await call('POST', `/disruptions/${d.id}/intervals`, {
      start: '2023-01-18',
      severity: 'complete',
    });
    expect(more.status).toBe(201);
    const withThree = await json<Disruption>(more);
    expect(withThree.intervals).toHaveLength(3);

    const counters = await json<PublicCounters>(await api().request('/api/public/counters?asOf=2023-01-30'));
    expect(counters.disruptions).toEqual([
      {
        service: 'electricity',
        label: null,
        completeDays: 22, // 9–30 January
        partialDays: 0,
        anyDays: 22,
        ongoing: true,
        currentCutDays: 22,
        currentCutSince: '2023-01-09',
        illustrative: false,
      },
    ]);

    // Closing the open interval on the 22nd: complete 9–22, partial 23–25.
    const open = withThree.intervals.find((i) => i.end === null)!;
    const closed = await call('PATCH', `/disruptions/${d.id}/intervals/${open.id}`, { end: '2023-01-22' });
    expect(closed.status).toBe(200);
    const after = await json<PublicCounters>(await api().request('/api/public/counters?asOf=2023-01-30'));
    expect(after.disruptions[0]).toMatchObject({ completeDays: 14, partialDays: 3, anyDays: 17, ongoing: false });
    expect(await auditOf('disruption', d.id)).toEqual([
      'crisis.disruption.update-interval',
      'crisis.disruption.add-interval',
      'crisis.disruption.create',
    ]);
  });

  it('refuses bad disruptions: before the start (400), end before start, custom without a label, unknown source', async () => {
    const base = { service: 'gas', severity: 'complete', start: '2023-01-01' };
    expect(await errorPaths(await call('POST', '/disruptions', { ...base, start: '2022-12-01' }), 400)).toEqual([
      'start',
    ]);
    expect(
      await errorPaths(
        await call('POST', '/disruptions', { ...base, intervals: [{ start: '2022-11-01', severity: 'partial' }] }),
        400,
      ),
    ).toEqual(['intervals.0.start']);
    expect(await errorPaths(await call('POST', '/disruptions', { ...base, end: '2022-12-31' }))).toEqual(['end']);
    expect(await errorPaths(await call('POST', '/disruptions', { ...base, service: 'custom' }))).toEqual(['label']);
    expect(await errorPaths(await call('POST', '/disruptions', { ...base, service: 'telepathy' }))).toEqual([
      'service',
    ]);
    expect(await errorPaths(await call('POST', '/disruptions', { ...base, severity: 'some' }))).toEqual(['severity']);
    expect(await errorPaths(await call('POST', '/disruptions', { ...base, sourceId: 'nope' }))).toEqual(['sourceId']);
    expect((await call('POST', '/disruptions', base, communicator)).status).toBe(403);
    expect((await api().request('/api/disruptions', { method: 'POST', json: base })).status).toBe(401);
  });

  it('keeps a disruption’s last interval (409), deletes the disruption, and answers 404 after', async () => {
    const d = await json<Disruption>(
      await call('POST', '/disruptions', {
        service: 'custom',
        label: 'Heating oil',
        severity: 'partial',
        start: '2023-02-01',
      }),
    );
    expect(d.label).toBe('Heating oil');
    await problem(await call('DELETE', `/disruptions/${d.id}/intervals/${d.intervals[0]!.id}`), 409);
    const patched = await json<Disruption>(await call('PATCH', `/disruptions/${d.id}`, { illustrative: true }));
    expect(patched.illustrative).toBe(true);
    expect((await call('DELETE', `/disruptions/${d.id}`, undefined, reviewer)).status).toBe(204);
    await problem(await call('GET', `/disruptions/${d.id}`), 404);
    expect(await auditOf('disruption', d.id)).toEqual([
      'crisis.disruption.delete',
      'crisis.disruption.update',
      'crisis.disruption.create',
    ]);
  });

  it('computes an indicator’s shortfall as of a date, with words in the asked language', async () => {
    await problem(await call('POST', '/indicators', { name: 'Vehicles', unit: 'vehicles', baselinePerDay: 0 }), 400);
    expect(
      await errorPaths(
        await call('POST', '/indicators', { name: 'Vehicles', unit: 'vehicles', baselinePerDay: -5 }),
        400,
      ),
    ).toEqual(['baselinePerDay']);
    const created = await call('POST', '/indicators', {
      name: { en: 'Vehicles crossing', fr: 'Véhicules' },
      unit: { en: 'vehicles', fr: 'véhicules' },
      baselinePerDay: 1000,
      baselineSourceId: sourceId,
      baselinePeriod: '2022',
      illustrative: true,
    });
    expect(created.status).toBe(201);
    const ind = await json<Indicator>(created);
    const summary = (asOf: string, lang = 'en') =>
      call('GET', `/indicators/${ind.id}/summary?asOf=${asOf}&lang=${lang}`, undefined, communicator);

    expect(await json<IndicatorSummary>(await summary('2023-01-10'))).toMatchObject({
      day: 30,
      expected: 30_000,
      observed: null,
      ratio: null,
      percentOfNormal: null,
      text: 'no observation yet',
    });
    // Day 30 is 2023-01-10; 600 observed by then.
    const obs = await call('POST', `/indicators/${ind.id}/observations`, {
      asOf: '2023-01-10',
      cumulative: 600,
      sourceId,
    });
    expect(obs.status).toBe(201);
    expect(await json<IndicatorSummary>(await summary('2023-01-10'))).toEqual({
      id: ind.id,
      asOf: '2023-01-10',
      day: 30,
      expected: 30_000,
      observed: 600,
      ratio: 50,
      percentOfNormal: 2,
      text: '50 times fewer',
      lang: 'en',
    });
    expect((await json<IndicatorSummary>(await summary('2023-01-10', 'fr'))).text).toBe('50 fois moins');
    // Daily values after the cumulative total are added to it.
    await call('POST', `/indicators/${ind.id}/observations`, { asOf: '2023-01-11', daily: 20 });
    await call('POST', `/indicators/${ind.id}/observations`, { asOf: '2023-01-12', daily: 20 });
    const later = await json<IndicatorSummary>(await summary('2023-01-12'));
    expect(later).toMatchObject({ day: 32, expected: 32_000, observed: 640, ratio: 50 });

    await problem(await summary('2022-12-01'), 400);
    expect(
      await errorPaths(
        await call('POST', `/indicators/${ind.id}/observations`, { asOf: '2022-12-01', cumulative: 1 }),
        400,
      ),
    ).toEqual(['asOf']);
    expect(
      await errorPaths(
        await call('POST', `/indicators/${ind.id}/observations`, { asOf: '2023-01-05', cumulative: 1, daily: 1 }),
      ),
    ).toEqual(['cumulative']);
    expect(
      await errorPaths(
        await call('POST', `/indicators/${ind.id}/observations`, { asOf: '2023-01-05', cumulative: -1 }),
      ),
    ).toEqual(['cumulative']);
    await problem(
      await call('POST', `/indicators/no-such-id/observations`, { asOf: '2023-01-05', cumulative: 1 }),
      404,
    );

    const counters = await json<PublicCounters>(await api().request('/api/public/counters?asOf=2023-01-12&lang=hy'));
    expect(counters.indicators).toEqual([
      expect.objectContaining({
        id: ind.id,
        day: 32,
        observed: 640,
        ratio: 50,
        text: '50 անգամ պակաս',
        illustrative: true,
      }),
    ]);
    const series = await api().platform.crisis.indicatorSeries(ind.id);
    expect(series).toEqual([
      { asOf: '2023-01-10', day: 30, cumulative: 600, expected: 30_000 },
      { asOf: '2023-01-11', day: 31, cumulative: 620, expected: 31_000 },
      { asOf: '2023-01-12', day: 32, cumulative: 640, expected: 32_000 },
    ]);
    expect(await auditOf('indicator', ind.id)).toEqual([
      'crisis.indicator.observe',
      'crisis.indicator.observe',
      'crisis.indicator.observe',
      'crisis.indicator.create',
    ]);
  });

  it('keeps key figures with their as-of dates and gives the newest per label as of a date', async () => {
    const post = (body: unknown) => call('POST', '/key-figures', body);
    const first = await json<KeyFigure>(
      await post({ label: 'Jobs lost', value: 4000, unit: 'jobs', asOf: '2023-01-20', sourceId }),
    );
    const second = await json<KeyFigure>(await post({ label: 'Jobs lost', value: 6500, asOf: '2023-03-01' }));
    await post({ label: 'Surgeries postponed', value: 300, asOf: '2023-02-10', illustrative: true });
    expect(await errorPaths(await post({ label: 'x', value: 1, asOf: '2022-10-01' }), 400)).toEqual(['asOf']);
    expect(await errorPaths(await post({ label: 'x', value: 'many', asOf: '2023-01-01' }))).toEqual(['value']);

    const asOf = async (d: string) =>
      (await json<{ items: KeyFigure[] }>(await call('GET', `/key-figures?asOf=${d}`))).items.map((f) => [
        f.label.en,
        f.value,
      ]);
    expect(await asOf('2023-02-15')).toEqual([
      ['Surgeries postponed', 300],
      ['Jobs lost', 4000],
    ]);
    expect(await asOf('2023-03-21')).toEqual([
      ['Jobs lost', 6500],
      ['Surgeries postponed', 300],
    ]);
    expect((await json<{ items: KeyFigure[] }>(await call('GET', '/key-figures'))).items).toHaveLength(3);

    const patched = await json<KeyFigure>(await call('PATCH', `/key-figures/${second.id}`, { value: 7000 }));
    expect(patched.value).toBe(7000);
    expect((await call('DELETE', `/key-figures/${first.id}`)).status).toBe(204);
    expect(await auditOf('key-figure', second.id)).toEqual(['crisis.key-figure.update', 'crisis.key-figure.create']);

    const explained = await api().platform.crisis.explain('2023-03-21');
    expect(explained.keyFigures).toContainEqual({ id: second.id, sourceId: null });
    expect(explained.disruptions[0]).toMatchObject({ service: 'electricity' });
    expect(explained.indicators[0]).toMatchObject({
      baseline: { perDay: 1000, sourceId, period: '2022' },
      observation: { asOf: '2023-01-12', cumulative: 640, sourceId: null },
    });
  });

  it('publishes the key figures with the counters, attributed, without ever naming an interview', async () => {
    const interview = await factory.source('Interview with CANARY-interviewee Arpi Sarkissian', {
      type: 'interview',
      publisher: 'CANARY-interviewee Arpi Sarkissian',
    });
    const cited = await json<KeyFigure>(
      await call('POST', '/key-figures', {
        label: { en: 'Schools closed', fr: 'Écoles fermées' },
        value: 118,
        asOf: '2023-03-10',
        sourceId,
      }),
    );
    const fromInterview = await json<KeyFigure>(
      await call('POST', '/key-figures', {
        label: 'Families heard',
        value: 12,
        asOf: '2023-03-11',
        sourceId: interview.id,
      }),
    );
    const res = await api().request('/api/public/counters?asOf=2023-03-21');
    const body = await res.text();
    const counters = JSON.parse(body) as PublicCounters;
    const byId = new Map(counters.keyFigures.map((f) => [f.id, f]));
    expect(byId.get(cited.id)).toMatchObject({
      label: { en: 'Schools closed', fr: 'Écoles fermées' },
      value: 118,
      source: { title: 'Ombudsman, 100 days' },
    });
    expect(byId.get(fromInterview.id)?.source).toMatchObject({ title: null, publisher: null, url: null });
    expect(body).not.toContain('CANARY-interviewee');
    // Stated after the date asked: not yet a figure then.
    const earlier = await json<PublicCounters>(await api().request('/api/public/counters?asOf=2023-03-10'));
    expect(earlier.keyFigures.map((f) => f.id)).toContain(cited.id);
    expect(earlier.keyFigures.map((f) => f.id)).not.toContain(fromInterview.id);
  });

  it('protects a cited source from deletion, and lists recent changes to staff', async () => {
    expect((await call('DELETE', `/sources/${sourceId}`, undefined, reviewer)).status).toBe(409);
    const activity = await json<{ items: { kind: string }[] }>(
      await call('GET', '/crisis/activity?limit=5', undefined, communicator),
    );
    expect(activity.items).toHaveLength(5);
    expect(activity.items.map((i) => i.kind)).toContain('key-figure');
    expect((await call('GET', '/crisis/activity', undefined, journalist)).status).toBe(403);
  });
});
