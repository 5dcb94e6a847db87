import { expect, it } from 'vitest';
import { describeEachApi } from '../testing/api.js';
import type { Highlight } from './index.js';

const sample: Highlight = {
  id: 'sample',
  text: { en: 'According to X, one.', fr: 'Selon X, un.', hy: 'X-ի համաձայն՝ մեկ։', ru: 'Согласно X, один.' },
  figure: null,
  asOf: '2023-01-16',
  source: {
    kind: 'press-release',
    title: 'A release',
    publisher: 'X',
    place: 'Paris',
    date: '2023-01-16',
    citation: 'X, press release, Paris, 2023-01-16',
  },
};

describeEachApi('portal highlights', (api) => {
  it('serves nothing before content is stored, then the stored list to anyone', async () => {
    const empty = await api().request('/api/portal/highlights');
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({ items: [] });

    expect(await api().platform.portal.replaceHighlights([sample], null)).toBe(true);
    const res = await api().request('/api/portal/highlights');
    expect(((await res.json()) as { items: Highlight[] }).items).toEqual([sample]);
  });

  it('writes nothing and audits nothing when the list is unchanged', async () => {
    const before = await api().platform.audit.verify();
    expect(await api().platform.portal.replaceHighlights([sample], null)).toBe(false);
    expect(await api().platform.audit.verify()).toEqual(before);
  });

  it('refuses an invalid list without writing', async () => {
    const before = await api().platform.audit.verify();
    await expect(api().platform.portal.replaceHighlights([{ ...sample, id: 'Not An Id' }], null)).rejects.toThrow();
    expect(await api().platform.audit.verify()).toEqual(before);
  });
});
