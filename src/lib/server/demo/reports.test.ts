import { expect, it } from 'vitest';
import { describeEachApi } from '../testing/api.js';
import { loadDemo } from './index.js';
import { DEMO_RECORDS } from './records.js';
import { DEMO_REPORT } from './reports.js';

describeEachApi('demo: the published report edition', (api) => {
  it('publishes one edition of the seed crisis as of day 100, once', async () => {
    const first = await loadDemo(api().platform);
    expect(first.reports).toEqual({ report: true, edition: true });
    const { items } = await api().platform.reports.published({});
    expect(items).toHaveLength(1);
    const edition = await api().platform.reports.edition(items[0]!.id, 'public');
    expect(edition.asOf).toBe(DEMO_REPORT.asOf);
    const content = edition.content!;
    expect(content.keyNumbers.day?.value).toBe(100);
    expect(content.crisis?.name.text).toBe('Blockade of the Lachin corridor');
    // The seed's indicators are made-up numbers: the edition says so.
    expect(content.keyNumbers.indicators.length).toBeGreaterThan(0);
    expect(content.keyNumbers.indicators.every((i) => i.illustrative)).toBe(true);
    // The records the demo reviewer published count; the drafts do not.
    expect(content.keyNumbers.publishedRecords.value).toBe(DEMO_RECORDS.filter((r) => r.publish).length);

    const second = await loadDemo(api().platform);
    expect(second.reports).toEqual({ report: false, edition: false });
    expect((await api().platform.reports.published({})).items).toHaveLength(1);
  });
});
