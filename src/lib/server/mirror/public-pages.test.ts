import { beforeAll, expect, it } from 'vitest';
import type { Actor } from '../http/access.js';
import { describeEachApi } from '../testing/api.js';
import { createFactory } from '../testing/factories.js';
import { collectPublicPages } from './public-pages.js';
import { PUBLIC_SECTIONS } from './sitemap.js';

describeEachApi('sitemap pages from the public API', (api) => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const factory = createFactory(api());
    const dora = await factory.signedIn('dora', { role: 'documenter' });
    const rita = await factory.signedIn('rita', { role: 'reviewer' });
    const actor: Actor = { userId: dora.id, role: 'documenter', via: 'session', pendingSecondFactor: false };
    const create = async (title: string, confidentiality: 'public' | 'internal' | 'restricted') =>
      (await api().platform.records.create({ texts: { en: { title, summary: `${title}.` } }, confidentiality }, actor))
        .id;
    ids.published = await create('Published', 'public');
    ids.draft = await create('Draft', 'public');
    ids.internal = await create('Internal', 'internal');
    ids.restricted = await create('Restricted', 'restricted');
    ids.unpublished = await create('Unpublished', 'public');
    for (const id of [ids.published, ids.unpublished, ids.internal]) await factory.publish({ id }, dora, rita);
    const res = await api().request(`/api/records/${ids.unpublished}/transitions`, {
      method: 'POST',
      session: rita.session,
      json: { to: 'unpublished', reason: 'Source retracted' },
    });
    expect(res.status).toBe(200);
  });

  it('lists the sections and the published public records, and nothing else', async () => {
    const calls: string[] = [];
    const pages = await collectPublicPages(async <T>(path: string) => {
      calls.push(path);
      const res = await api().request(`/api${path}`);
      return res.ok ? ((await res.json()) as T) : null;
    });
    expect(calls.every((p) => p.startsWith('/public/'))).toBe(true);
    const paths = pages.map((p) => p.path);
    expect(paths.slice(0, PUBLIC_SECTIONS.length)).toEqual([...PUBLIC_SECTIONS]);
    expect(paths).toContain(`/records/${ids.published}`);
    for (const hidden of ['draft', 'internal', 'restricted', 'unpublished'])
      expect(paths, hidden).not.toContain(`/records/${ids[hidden]}`);
    expect(pages.find((p) => p.path === `/records/${ids.published}`)?.lastmod).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });
});
