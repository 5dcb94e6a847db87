import { expect, it } from 'vitest';
import { describeEachApi } from '../testing/api.js';
import { DEMO_DISRUPTIONS, DEMO_INDICATORS } from './crisis.js';
import { DEMO_SOURCES, loadDemo } from './index.js';

describeEachApi('demo crisis', (api) => {
  it('loads the seed crisis with sourced population figures, disruptions and illustrative indicators, once', async () => {
    const p = api().platform;
    const first = await loadDemo(p);
    expect(first.crisis).toEqual({
      crisis: true,
      disruptions: DEMO_DISRUPTIONS.length,
      indicators: DEMO_INDICATORS.length,
      keyFigures: 1,
    });
    const crisis = (await p.crisis.crisis())!;
    expect(crisis).toMatchObject({
      startDate: '2022-12-12',
      startsAtLocal: '2022-12-12T10:30',
      timeZone: 'Asia/Yerevan',
    });
    const ombudsman = (await p.sources.list({ q: DEMO_SOURCES[0]!.input.title, limit: 5 })).items[0]!;
    expect(crisis.population.map((x) => [x.value, x.sourceId])).toEqual([
      [120_000, ombudsman.id],
      [30_000, ombudsman.id],
    ]);

    const c = await p.crisis.counters('2023-03-21');
    expect(c.day).toBe(100);
    expect(c.disruptions.map((d) => [d.service, d.anyDays, d.illustrative])).toEqual([
      ['gas', 4 + 21 + 43, true],
      ['electricity', 4, false],
      ['internet', 4, false],
    ]);
    expect(c.indicators.every((i) => i.illustrative)).toBe(true);
    expect((await p.crisis.disruptions()).every((d) => d.sourceId !== null)).toBe(true);

    const entries = (await p.audit.list({ limit: 500 })).length;
    const again = await loadDemo(p);
    expect(again.crisis).toEqual({ crisis: false, disruptions: 0, indicators: 0, keyFigures: 0 });
    expect((await p.audit.list({ limit: 500 })).length).toBe(entries);
  });
});
