import { beforeAll, expect, it } from 'vitest';
import { describeEachApi } from '../testing/api.js';
import { createFactory } from '../testing/factories.js';
import type { CreateRecordInput, PublicTimeline } from './index.js';

/**
 * The public timeline (`GET /api/public/records/timeline`): published public records per month of their start.
 * Canaries: a restricted and an internal record, both published, and a public draft, all in a month of their own and
 * in a shared one, carry unique strings; none may appear in the answer, nor be counted in any period or year.
 */
const CANARY = 'canary-timeline-5e2d71';

describeEachApi('public timeline', (api) => {
  const ids: Record<string, string> = {};
  let goris = '';
  let stepanakert = '';
  let life = '';
  let food = '';
  let individualCategory = '';

  const timeline = async (query = '') => {
    const res = await api().request(`/api/public/records/timeline${query}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    return { body: JSON.parse(text) as PublicTimeline, text };
  };

  beforeAll(async () => {
    const factory = createFactory(api());
    const dora = await factory.signedIn('dora', { role: 'documenter' });
    const rita = await factory.signedIn('rita', { role: 'reviewer' });
    goris = (await factory.place('Goris')).id;
    stepanakert = (await factory.place('Stepanakert', { type: 'city' })).id;
    life = (await api().platform.rights.findByCode('IND-LIFE'))!.id;
    food = (await api().platform.rights.findByCode('IND-FOOD'))!.id;
    individualCategory = (await api().platform.rights.get(life)).parentId!;
    const collective = (await api().platform.rights.findByCode('COL-PEACE'))!.id;

    const make = async (name: string, input: Partial<CreateRecordInput>, publish: boolean) => {
      const r = await factory.record(name, dora, { confidentiality: 'public', ...input });
      ids[name] = r.id;
      if (input.confidentiality === 'restricted') {
        // The publishing reviewer must be named to see it at all.
        const res = await api().request(`/api/records/${r.id}/access`, {
          method: 'PUT',
          session: dora.session,
          json: { userIds: [rita.id] },
        });
        expect(res.status).toBe(200);
      }
      if (!publish) return;
      for (const [to, session] of [
        ['in-review', dora.session],
        ['approved', rita.session],
        ['published', rita.session],
      ] as const) {
        const res = await api().request(`/api/records/${r.id}/transitions`, { method: 'POST', session, json: { to } });
        expect(res.status, `${name} → ${to}`).toBe(200);
      }
    };
    const day = (d: string) => ({ startDate: d, startPrecision: 'day' as const });
    await make('road', { ...day('2022-12-12'), ongoing: true, placeIds: [goris], rightIds: [life] }, true);
    await make(
      'gas',
      {
        texts: {
          fr: { title: 'Gaz coupé', summary: 'Le gaz est coupé.', translationStatus: 'translated' },
          en: { title: 'Gas cut', summary: 'Gas was cut.' },
        },
        ...day('2022-12-13'),
        placeIds: [stepanakert],
        rightIds: [food],
      },
      true,
    );
    await make('january', { startDate: '2023-01', startPrecision: 'month', rightIds: [collective] }, true);
    await make('year-only', { startDate: '2023', startPrecision: 'year' }, true);
    await make('undated', {}, true);
    // The canaries: a shared month (2022-12) and one of their own (2021-06), so that neither a count nor a period
    // nor a year can give them away.
    const canary = (n: string) => ({ en: { title: `${n} ${CANARY}`, summary: `Summary ${CANARY}` } });
    await make('restricted', { texts: canary('r'), confidentiality: 'restricted', ...day('2022-12-20') }, true);
    await make('internal', { texts: canary('i'), confidentiality: 'internal', ...day('2021-06-01') }, true);
    await make('draft', { texts: canary('d'), ...day('2021-06-02'), placeIds: [goris] }, false);
    // Published, then unpublished: no longer public.
    await make('withdrawn', { texts: canary('w'), ...day('2021-06-03') }, true);
    const res = await api().request(`/api/records/${ids.withdrawn}/transitions`, {
      method: 'POST',
      session: rita.session,
      json: { to: 'unpublished', reason: 'Checked again: not confirmed.' },
    });
    expect(res.status).toBe(200);
  });

  it('groups published public records by month, oldest first, a year alone before its months, undated last', async () => {
    const { body } = await timeline();
    expect(body.groups.map((g) => [g.period, g.count])).toEqual([
      ['2022-12', 2],
      ['2023', 1],
      ['2023-01', 1],
      [null, 1],
    ]);
    expect(body.total).toBe(5);
    expect(body.years).toEqual([
      { value: '2022', count: 2 },
      { value: '2023', count: 2 },
    ]);
    const december = body.groups[0]!;
    expect(december.items.map((i) => i.id)).toEqual([ids.road, ids.gas]);
    expect(december.items[1]).toMatchObject({
      titles: { en: 'Gas cut', fr: 'Gaz coupé' },
      originalLang: 'en',
      startDate: '2022-12-13',
      startPrecision: 'day',
      verification: 'reported',
      ongoing: false,
    });
  });

  it('filters by place, right, category and year, and caps the records listed per period', async () => {
    expect((await timeline(`?place=${goris}`)).body.groups.flatMap((g) => g.items.map((i) => i.id))).toEqual([
      ids.road,
    ]);
    expect((await timeline(`?right=${food}`)).body.groups.flatMap((g) => g.items.map((i) => i.id))).toEqual([ids.gas]);
    const individual = (await timeline(`?category=${individualCategory}`)).body;
    expect(individual.groups.flatMap((g) => g.items.map((i) => i.id))).toEqual([ids.road, ids.gas]);
    const y2023 = (await timeline('?year=2023')).body;
    expect(y2023.groups.map((g) => g.period)).toEqual(['2023', '2023-01']);
    expect(y2023.total).toBe(2);
    // The year list still offers every year.
    expect(y2023.years.map((y) => y.value)).toEqual(['2022', '2023']);
    const capped = (await timeline('?perPeriod=1')).body;
    expect(capped.groups[0]).toMatchObject({ period: '2022-12', count: 2 });
    expect(capped.groups[0]!.items.map((i) => i.id)).toEqual([ids.road]);
  });

  it('never shows nor counts a restricted, internal, draft or unpublished record', async () => {
    for (const query of ['', '?year=2021', '?year=2022', `?place=${goris}`, '?perPeriod=100']) {
      const { body, text } = await timeline(query);
      expect(text).not.toContain(CANARY);
      for (const id of [ids.restricted, ids.internal, ids.draft, ids.withdrawn]) expect(text).not.toContain(id);
      expect(body.groups.some((g) => g.period?.startsWith('2021'))).toBe(false);
      expect(body.years.some((y) => y.value === '2021')).toBe(false);
    }
    expect((await timeline('?year=2021')).body).toEqual({
      total: 0,
      groups: [],
      years: [
        { value: '2022', count: 2 },
        { value: '2023', count: 2 },
      ],
    });
    // December holds the restricted canary too: still two.
    expect((await timeline('?year=2022')).body.groups).toMatchObject([{ period: '2022-12', count: 2 }]);
  });

  it('the public search filters by start year too, as its year facet counts', async () => {
    const list = async (query: string) => {
      const res = await api().request(`/api/public/records${query}`);
      expect(res.status).toBe(200);
      return (await res.json()) as { items: { id: string }[]; total: { value: number }; facets: { year: unknown[] } };
    };
    const all = await list('');
    expect(all.facets.year).toEqual([
      { value: '2023', label: '2023', count: 2 },
      { value: '2022', label: '2022', count: 2 },
    ]);
    const y2023 = await list('?year=2023');
    expect(y2023.items.map((i) => i.id).sort()).toEqual([ids.january, ids['year-only']].sort());
    // The road is ongoing since 2022: an overlap (from/to) would take it, the start year does not.
    expect((await list('?from=2023&to=2023')).items.map((i) => i.id)).toContain(ids.road);
    expect((await list('?year=2021')).total.value).toBe(0);
    expect((await api().request('/api/public/records?year=21')).status).toBe(422);
  });

  it('answers bad filters with a problem, not a timeline', async () => {
    for (const query of ['?year=23', '?year=2023-01', '?perPeriod=-1', '?perPeriod=101']) {
      const res = await api().request(`/api/public/records/timeline${query}`);
      expect(res.status, query).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});
