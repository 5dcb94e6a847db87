import { beforeAll, expect, it } from 'vitest';
import { describeEachApi } from '../testing/api.js';
import { createFactory, type Factory } from '../testing/factories.js';
import type { Place, PlaceSummary } from './index.js';

type Problem = { status: number; errors?: { path: string; message: string }[] };

describeEachApi('places gazetteer API', (api) => {
  let factory: Factory;
  let documenter: string;
  let communicator: string;
  const json = async <T>(res: Response) => (await res.json()) as T;

  async function search(q: string, extra = ''): Promise<PlaceSummary[]> {
    const res = await api().request(`/api/places?q=${encodeURIComponent(q)}${extra}`, { session: communicator });
    expect(res.status, q).toBe(200);
    return (await json<{ items: PlaceSummary[] }>(res)).items;
  }
  const found = async (q: string, extra = '') => (await search(q, extra)).map((p) => p.name);
  const post = (body: unknown) => api().request('/api/places', { method: 'POST', session: documenter, json: body });
  const patch = (id: string, body: unknown) =>
    api().request(`/api/places/${id}`, { method: 'PATCH', session: documenter, json: body });

  beforeAll(async () => {
    factory = createFactory(api());
    documenter = (await factory.signedIn('dora', { role: 'documenter' })).session;
    communicator = (await factory.signedIn('cole', { role: 'communicator' })).session;
    const region = await factory.place('Syunik', {
      type: 'region',
      altNames: [{ name: 'Սյունիք', lang: 'hy', kind: 'official' }],
    });
    await factory.place('Stepanakert', {
      type: 'city',
      altNames: [
        { name: 'Ստեփանակերտ', lang: 'hy', kind: 'official' },
        { name: 'Степанакерт', lang: 'ru', kind: 'transliteration' },
        { name: 'Khankendi', lang: 'en', kind: 'exonym' },
        { name: 'Xankəndi', lang: 'az-Latn', kind: 'official' },
      ],
      geometry: { type: 'Point', coordinates: [46.752, 39.815] },
    });
    await factory.place('Goris', {
      parentId: region.id,
      altNames: [
        { name: 'Գորիս', lang: 'hy', kind: 'official' },
        { name: 'Горис', lang: 'ru' },
      ],
      geometry: { type: 'Point', coordinates: [46.339, 39.511] },
    });
    await factory.place('Berdzor', {
      altNames: [
        { name: 'Բերձոր', lang: 'hy', kind: 'official' },
        { name: 'Lachin', lang: 'en', kind: 'exonym' },
        { name: 'Laçın', lang: 'az-Latn', kind: 'official' },
        { name: 'Лачин', lang: 'ru', kind: 'exonym' },
      ],
    });
    await factory.place('Shushi', {
      altNames: [
        { name: 'Շուշի', lang: 'hy', kind: 'official' },
        { name: 'Shusha', lang: 'en', kind: 'exonym' },
        { name: 'Şuşa', lang: 'az-Latn', kind: 'official' },
      ],
    });
    await factory.place('Goris – Stepanakert highway', { type: 'road' });
    await factory.place('Yerevan', { type: 'city', altNames: [{ name: 'Երևան', lang: 'hy', kind: 'official' }] });
    await factory.place('Hôpital Saint-Étienne', { type: 'site' });
  });

  it('finds a place by the start of any of its names, in any script, ignoring case and diacritics', async () => {
    const stepanakert = factory.placeNamed('Stepanakert').id;
    for (const q of [
      'Ստեփան',
      'ստեփանակերտ',
      'stepanakert',
      'STEPAN',
      'степан',
      'СТЕПАНАКЕРТ',
      'khankendi',
      'Xankəndi',
    ])
      expect(
        (await search(q, '&type=city')).map((p) => p.id),
        q,
      ).toEqual([stepanakert]);
    const [hit] = await search('Ստեփան');
    expect(hit).toMatchObject({
      name: 'Stepanakert',
      matchedName: 'Ստեփանակերտ',
      centroid: { lat: 39.815, lon: 46.752 },
    });
  });

  it('finds Berdzor under Lachin, Laçın and Лачин, and Shushi by a prefix but not by a misspelling', async () => {
    const berdzor = factory.placeNamed('Berdzor').id;
    for (const q of ['berdzor', 'Բերձոր', 'lachin', 'LAÇIN', 'Лачин', 'lach'])
      expect(
        (await search(q)).map((p) => p.id),
        q,
      ).toEqual([berdzor]);
    expect(await found('shush')).toEqual(['Shushi']);
    expect(await found('Şuşa')).toEqual(['Shushi']);
    expect(await found('Շուշ')).toEqual(['Shushi']);
    expect(await found('sushi')).toEqual([]);
  });

  it('matches the start of a name or of a word in it, never the middle of a word', async () => {
    expect(await found('stepan')).toEqual(['Goris – Stepanakert highway', 'Stepanakert']);
    expect(await found('kert')).toEqual([]);
    expect(await found('goris stepan')).toEqual(['Goris – Stepanakert highway']);
    expect(await found('etienne')).toEqual(['Hôpital Saint-Étienne']);
    expect(await found('HOPITAL saint')).toEqual(['Hôpital Saint-Étienne']);
    // Every spelling of Yerevan: the ligature, ech-yiwn spelt out, reformed ech-vev, capitals, and prefixes of them.
    for (const q of ['Երևան', 'Երեւան', 'Երեվան', 'ԵՐԵՎԱՆ', 'երև', 'Երեվ'])
      expect(await found(q), q).toEqual(['Yerevan']);
    expect(await found('%')).toEqual([]);
    expect(await found('_')).toEqual([]);
  });

  it('filters by type and by parent, and lists everything by preferred name without q', async () => {
    expect(await found('', '&type=road')).toEqual(['Goris – Stepanakert highway']);
    const syunik = factory.placeNamed('Syunik').id;
    expect(
      (
        await json<{ items: PlaceSummary[] }>(
          await api().request(`/api/places?parent=${syunik}`, { session: communicator }),
        )
      ).items.map((p) => p.name),
    ).toEqual(['Goris']);
    expect(await found('')).toEqual([
      'Berdzor',
      'Goris',
      'Goris – Stepanakert highway',
      'Hôpital Saint-Étienne',
      'Shushi',
      'Stepanakert',
      'Syunik',
      'Yerevan',
    ]);
  });

  it('lists every place with its alternative names and their languages, the preferred name left out', async () => {
    const items = await search('', '&limit=500');
    const byName = new Map(items.map((p) => [p.name, p.altNames]));
    expect(byName.get('Goris')).toEqual([
      { name: 'Գորիս', lang: 'hy' },
      { name: 'Горис', lang: 'ru' },
    ]);
    expect(byName.get('Berdzor')?.map((n) => n.name)).toEqual(['Բերձոր', 'Lachin', 'Laçın', 'Лачин']);
    expect(byName.get('Hôpital Saint-Étienne')).toEqual([]);
    // A search answers with the same names.
    expect((await search('Горис'))[0]?.altNames).toEqual(byName.get('Goris'));
  });

  it('serves one place with its names, geometry and parent chain; 404 for an unknown id', async () => {
    const goris = factory.placeNamed('Goris');
    const res = await api().request(`/api/places/${goris.id}`, { session: communicator });
    expect(res.status).toBe(200);
    const place = await json<Place>(res);
    expect(place).toMatchObject({
      name: 'Goris',
      type: 'town',
      parents: [{ id: factory.placeNamed('Syunik').id, name: 'Syunik', type: 'region' }],
      altNames: [
        { name: 'Գորիս', lang: 'hy', kind: 'official' },
        { name: 'Горис', lang: 'ru', kind: null },
      ],
      geometry: { type: 'Point', coordinates: [46.339, 39.511] },
      centroid: { lat: 39.511, lon: 46.339 },
    });
    expect((await api().request('/api/places/no-such-id', { session: communicator })).status).toBe(404);
  });

  it('creates a place with a polygon, audited, and computes its centroid', async () => {
    const res = await post({
      name: 'Lachin corridor checkpoint area',
      type: 'site',
      parentId: factory.placeNamed('Berdzor').id,
      altNames: [{ name: 'Լաչինի միջանցք', lang: 'hy' }],
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [46.5, 39.6],
            [46.6, 39.6],
            [46.6, 39.7],
            [46.5, 39.7],
            [46.5, 39.6],
          ],
        ],
      },
    });
    expect(res.status).toBe(201);
    const place = await json<Place>(res);
    expect(place.centroid!.lat).toBeCloseTo(39.65, 9);
    expect(place.centroid!.lon).toBeCloseTo(46.55, 9);
    expect(place.parents.map((p) => p.name)).toEqual(['Berdzor']);
    const audit = await api().platform.audit.list({ entityType: 'place', entityId: place.id, limit: 10 });
    expect(audit.map((e) => e.action)).toEqual(['places.create']);
    expect(await found('միջանց')).toEqual(['Lachin corridor checkpoint area']);
  });

  it('refuses invalid geometry with 422 and the field path', async () => {
    const errorsOf = async (geometry: unknown) => {
      const res = await post({ name: 'Nowhere', type: 'site', geometry });
      expect(res.status).toBe(422);
      return (await json<Problem>(res)).errors!.map((e) => e.path);
    };
    expect(await errorsOf({ type: 'Point', coordinates: [46.7, 95] })).toContain('geometry.coordinates.1');
    expect(await errorsOf({ type: 'Point', coordinates: [200, 39] })).toContain('geometry.coordinates.0');
    const open = [
      [46.5, 39.6],
      [46.6, 39.6],
      [46.6, 39.7],
      [46.5, 39.7],
    ];
    expect(await errorsOf({ type: 'Polygon', coordinates: [open] })).toContain('geometry.coordinates.0');
    expect(
      await errorsOf({
        type: 'Polygon',
        coordinates: [
          [
            [46.5, 39.6],
            [46.6, 39.6],
            [46.5, 39.6],
          ],
        ],
      }),
    ).toContain('geometry.coordinates.0');
    expect(await errorsOf({ type: 'MultiPolygon', coordinates: [[[...open, [46.5, -91]]]] })).toContain(
      'geometry.coordinates.0.0.4.1',
    );
    expect(
      await errorsOf({
        type: 'LineString',
        coordinates: [
          [0, 0],
          [1, 1],
        ],
      }),
    ).toContain('geometry.type');
    expect(await found('nowhere')).toEqual([]);
  });

  it('refuses other bad input with 422 and field paths', async () => {
    const res = await post({
      name: 'x'.repeat(201),
      type: 'planet',
      altNames: [{ name: 'Ok', lang: 'not a tag' }],
    });
    expect(res.status).toBe(422);
    expect((await json<Problem>(res)).errors!.map((e) => e.path)).toEqual(
      expect.arrayContaining(['name', 'type', 'altNames.0.lang']),
    );
    const many = Array.from({ length: 51 }, (_, i) => ({ name: `Name ${i}`, lang: 'en' }));
    expect((await post({ name: 'Many', type: 'site', altNames: many })).status).toBe(422);
    const ghost = await post({ name: 'Ghost', type: 'site', parentId: 'no-such-id' });
    expect(ghost.status).toBe(422);
    expect((await json<Problem>(ghost)).errors!.map((e) => e.path)).toEqual(['parentId']);
  });

  it('refuses a parent cycle with 422', async () => {
    const region = await factory.place('Region R', { type: 'region' });
    const town = await factory.place('Town T', { parentId: region.id });
    const site = await factory.place('Site S', { type: 'site', parentId: town.id });
    for (const parentId of [site.id, town.id, region.id]) {
      const res = await patch(region.id, { parentId });
      expect(res.status, parentId).toBe(422);
      expect((await json<Problem>(res)).errors!.map((e) => e.path)).toEqual(['parentId']);
    }
    const chain = await json<Place>(await api().request(`/api/places/${site.id}`, { session: communicator }));
    expect(chain.parents.map((p) => p.name)).toEqual(['Town T', 'Region R']);
  });

  it('replaces alternative names as a whole; a refused update leaves the old ones', async () => {
    const p = await factory.place('Old Town', { altNames: [{ name: 'Hin Kaghak', lang: 'hy-Latn' }] });
    const bad = await patch(p.id, {
      altNames: [{ name: 'New One', lang: 'en' }],
      geometry: { type: 'Point', coordinates: [0, 91] },
    });
    expect(bad.status).toBe(422);
    expect(await found('hin kagh')).toEqual(['Old Town']);
    expect(await found('new one')).toEqual([]);

    const res = await patch(p.id, {
      name: 'Renamed Town',
      altNames: [{ name: 'Nor Kaghak', lang: 'hy-Latn', kind: 'historical' }],
    });
    expect(res.status).toBe(200);
    expect((await json<Place>(res)).altNames).toEqual([{ name: 'Nor Kaghak', lang: 'hy-Latn', kind: 'historical' }]);
    expect(await found('hin kagh')).toEqual([]);
    expect(await found('old town')).toEqual([]);
    expect(await found('nor kagh')).toEqual(['Renamed Town']);
    expect(await found('renamed')).toEqual(['Renamed Town']);

    // Renaming alone keeps the alternative names.
    await patch(p.id, { name: 'Renamed Again' });
    expect(await found('nor kagh')).toEqual(['Renamed Again']);
    const audit = await api().platform.audit.list({ entityType: 'place', entityId: p.id, limit: 10 });
    expect(audit.map((e) => e.action)).toEqual(['places.update', 'places.update', 'places.create']);
  });

  it('refuses to delete a place that others lie within (409), then deletes it once empty', async () => {
    const parent = await factory.place('Parent P', { type: 'region' });
    const child = await factory.place('Child C', { parentId: parent.id });
    const del = (id: string) => api().request(`/api/places/${id}`, { method: 'DELETE', session: documenter });
    expect((await del(parent.id)).status).toBe(409);
    expect((await del(child.id)).status).toBe(204);
    expect((await del(parent.id)).status).toBe(204);
    expect((await del(parent.id)).status).toBe(404);
    expect(await found('child c')).toEqual([]);
    const audit = await api().platform.audit.list({ entityType: 'place', entityId: parent.id, limit: 10 });
    expect(audit.map((e) => e.action)).toEqual(['places.delete', 'places.create']);
    expect(await api().platform.audit.verify()).toMatchObject({ ok: true });
  });
});
