import { expect, it } from 'vitest';
import { describeEachApi } from '../testing/api.js';
import { createFactory } from '../testing/factories.js';
import type { PublicPhoto } from '../photos/index.js';
import { DEMO_PHOTOS, loadDemoPhotos } from './photos.js';

describeEachApi('demo photo bank', (api) => {
  it('publishes the drawn pictures with consents and credits, takes the withdrawn one down, and runs once', async () => {
    const factory = createFactory(api());
    const cole = await factory.user('cole', { role: 'communicator' });
    const rita = await factory.user('rita', { role: 'reviewer' });
    await factory.place('Stepanakert');
    const actor = (u: { id: string; role: 'communicator' | 'reviewer' }) => ({
      userId: u.id,
      role: u.role,
      via: 'token' as const,
      pendingSecondFactor: false,
    });
    const p = api().platform;
    const target = { evidence: p.evidence, photos: p.photos, jobs: p.jobs, places: p.places };
    const first = await loadDemoPhotos(
      target,
      actor({ id: cole.id, role: 'communicator' }),
      actor({ id: rita.id, role: 'reviewer' }),
    );
    expect(first).toEqual({ count: DEMO_PHOTOS.length, created: DEMO_PHOTOS.length });

    const pub = (await (await api().request('/api/public/photos')).json()) as { items: PublicPhoto[] };
    expect(pub.items).toHaveLength(DEMO_PHOTOS.filter((d) => d.outcome === 'published').length);
    for (const item of pub.items) {
      expect(item.credit).toMatch(/^Illustration: Corridor demo/);
      expect(Object.keys(item.captions).sort()).toEqual(['en', 'fr', 'hy', 'ru']);
      expect(item.captions.en).toMatch(/According to/);
    }
    expect(pub.items.find((i) => i.tags.includes('demo:photo-dark-windows'))?.place).toBe('Stepanakert');
    const all = await p.photos.list(actor({ id: cole.id, role: 'communicator' }), { tag: 'demo:photo-portrait' });
    const portrait = all.items[0]!;
    expect(portrait.status).toBe('unpublished');
    expect((await api().request(`/api/public/photos/${portrait.id}`)).status).toBe(410);

    const head = (await p.audit.verify()).headSeq;
    const again = await loadDemoPhotos(
      target,
      actor({ id: cole.id, role: 'communicator' }),
      actor({ id: rita.id, role: 'reviewer' }),
    );
    expect(again).toEqual({ count: DEMO_PHOTOS.length, created: 0 });
    expect((await p.audit.verify()).headSeq).toBe(head);
  });
});
