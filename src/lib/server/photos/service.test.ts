import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import sharp, { type OutputInfo } from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Evidence, IngestResult } from '../evidence/index.js';
import { formWith, picture } from '../evidence/testing.js';
import { describeEachApi } from '../testing/api.js';
import { createFactory, type Factory } from '../testing/factories.js';
import type { Photo, PublicPhoto } from './index.js';

type Problem = { status: number; type: string; detail: string; errors?: { path: string; message: string }[] };

describeEachApi('photo bank', (api) => {
  let factory: Factory;
  let cole: string; // communicator: curates
  let rita: string; // reviewer
  let jo: string; // journalist
  let evidence: Evidence;
  let photo: Photo;
  let authorConsentId: string;
  let personConsentId: string;
  const work = mkdtempSync(path.join(tmpdir(), 'corridor-photos-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const json = async <T>(res: Response) => (await res.json()) as T;
  const req = (url: string, session?: string, init: { method?: string; json?: unknown } = {}) =>
    api().request(url, { session, ...init });
  const upload = async (name: string, bytes: Uint8Array) =>
    (
      await json<IngestResult>(
        await api().request('/api/evidence', { method: 'POST', session: cole, body: formWith(name, bytes) }),
      )
    ).item;
  const today = new Date().toISOString().slice(0, 10);
  const base = {
    captions: { en: 'People queue for bread in the town square.', hy: 'Մարդիկ հերթ են կանգնել հացի համար։' },
    credit: 'Photo: Anna Petrosyan / Corridor',
    takenOn: '2023-01-02',
    tags: ['Queue', 'bread'],
    usage: 'own-work',
    identifiablePersons: 1,
  };
  /** Every public surface a photo could leak through, as text (JSON) or bytes. */
  const publicSurfaces = async (id: string) => ({
    list: await (await req('/api/public/photos')).text(),
    item: await req(`/api/public/photos/${id}`),
  });

  beforeAll(async () => {
    factory = createFactory(api());
    cole = (await factory.signedIn('cole', { role: 'communicator' })).session;
    rita = (await factory.signedIn('rita', { role: 'reviewer' })).session;
    jo = (await factory.signedIn('jo', { role: 'journalist' })).session;
    await factory.place('Goris', { geometry: { type: 'Point', coordinates: [46.339, 39.511] } });
    evidence = await upload('queue.jpg', await picture({ gps: true, hue: 30 }));
    await api().platform.jobs.drain();
  });

  it('creates a draft from a vault image; open sources need address and licence', async () => {
    const res = await req('/api/photos', cole, {
      method: 'POST',
      json: { ...base, evidenceId: evidence.id, placeId: factory.placeNamed('Goris').id },
    });
    expect(res.status).toBe(201);
    photo = await json<Photo>(res);
    expect(photo).toMatchObject({
      code: 'P-0001',
      status: 'draft',
      tags: ['bread', 'queue'],
      place: { name: 'Goris' },
      captions: base.captions,
      images: { web: { jpeg: `/api/photos/${photo.id}/image/web.jpeg` } },
    });
    const open = await req('/api/photos', cole, {
      method: 'POST',
      json: { ...base, evidenceId: evidence.id, usage: 'open-source', sourceUrl: 'https://example.org/x' },
    });
    expect((await json<Problem>(open)).errors?.map((e) => e.path)).toEqual(['licence']);
    expect((await req('/api/photos', jo, { method: 'POST', json: base })).status).toBe(403);
  });

  it('keeps the gate shut until the author and each person shown have consented', async () => {
    const refused = await req(`/api/photos/${photo.id}/publish`, rita, { method: 'POST' });
    expect(refused.status).toBe(409);
    const problem = await json<Problem>(refused);
    expect(problem.type).toBe('urn:corridor:problem:consent-gate');
    expect(problem.errors?.map((e) => e.message)).toEqual([
      'no valid consent of the author for publish-image',
      '1 identifiable person shown, 0 with a valid consent for publish-image',
    ]);
    const noWitness = await req(`/api/photos/${photo.id}/consents`, cole, {
      method: 'POST',
      json: {
        subject: 'author',
        personLabel: 'Anna Petrosyan',
        scopes: ['publish-image'],
        givenOn: '2023-01-03',
        evidencedBy: 'verbal',
        verbalNote: 'Agreed by phone',
      },
    });
    expect((await json<Problem>(noWitness)).errors?.map((e) => e.path)).toEqual(['witness']);
    const author = await json<Photo>(
      await req(`/api/photos/${photo.id}/consents`, cole, {
        method: 'POST',
        json: {
          subject: 'author',
          personLabel: 'Anna Petrosyan',
          scopes: ['publish-image', 'press-kit'],
          givenOn: '2023-01-03',
          evidencedBy: 'verbal',
          verbalNote: 'Agreed by phone to publication with credit',
          witness: 'Office coordinator',
        },
      }),
    );
    authorConsentId = author.consents[0]!.id;
    const form = await upload('consent-form.pdf', Buffer.from('%PDF-1.4\n% signed consent form\n%%EOF\n'));
    const withPerson = await json<Photo>(
      await req(`/api/photos/${photo.id}/consents`, cole, {
        method: 'POST',
        json: {
          subject: 'person',
          personLabel: 'woman in the red coat',
          scopes: ['publish-image'],
          givenOn: '2023-01-03',
          evidencedBy: 'form',
          formEvidenceId: form.id,
        },
      }),
    );
    personConsentId = withPerson.consents[1]!.id;
    expect(withPerson.gates).toEqual([
      { scope: 'publish-image', ok: true, reasons: [] },
      { scope: 'press-kit', ok: false, reasons: ['1 identifiable person shown, 0 with a valid consent for press-kit'] },
      {
        scope: 'social-media',
        ok: false,
        reasons: [
          'no valid consent of the author for social-media',
          '1 identifiable person shown, 0 with a valid consent for social-media',
        ],
      },
    ]);
    // Not public while a draft: 404, never mentioned.
    expect((await req(`/api/public/photos/${photo.id}`)).status).toBe(404);
    expect((await req(`/api/public/photos/${photo.id}/image/web.jpeg`)).status).toBe(404);
    expect((await req(`/api/photos/${photo.id}/publish`, jo, { method: 'POST' })).status).toBe(403);
    const published = await req(`/api/photos/${photo.id}/publish`, rita, { method: 'POST' });
    expect(published.status).toBe(200);
    expect((await json<Photo>(published)).status).toBe('published');
  });

  it('shows the public only the place, never the GPS, camera or vault details (canary)', async () => {
    const { list, item } = await publicSurfaces(photo.id);
    expect(item.status).toBe(200);
    const pub = await json<PublicPhoto>(item);
    expect(pub).toMatchObject({ code: 'P-0001', place: 'Goris', credit: base.credit, usage: 'own-work', width: 800 });
    expect(JSON.parse(list)).toMatchObject({ items: [{ id: photo.id }] });
    for (const text of [list, JSON.stringify(pub)]) {
      for (const secret of [
        '39.81',
        '46.75',
        '39.51',
        'TestCam',
        'X100',
        evidence.id,
        evidence.sha256,
        'woman in the red coat',
        'Anna Petrosyan',
      ])
        if (secret === 'Anna Petrosyan')
          expect(text).toContain(secret); // the credit is meant to be public
        else expect(text, secret).not.toContain(secret);
    }
    for (const file of ['thumb.webp', 'web.jpeg', 'large.jpeg']) {
      const res = await req(`/api/public/photos/${photo.id}/image/${file}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toContain('no-cache');
      const out = path.join(work, file);
      writeFileSync(out, Buffer.from(await res.arrayBuffer()));
      const tags = execFileSync('exiftool', ['-j', '-G1', '-a', '-u', out], { encoding: 'utf8' });
      expect(tags).not.toMatch(/GPS|TestCam|IFD0|ExifIFD|XMP|IPTC|MakerNotes/);
    }
  });

  it('gives journalists a logged ZIP download: credit in the file name and a caption file', async () => {
    expect((await req(`/api/photos/${photo.id}/download?size=web`)).status).toBe(401);
    const res = await req(`/api/photos/${photo.id}/download?size=web&format=jpeg`, jo);
    expect(res.status).toBe(200);
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(['P-0001_caption.txt', 'P-0001_web_Photo-Anna-Petrosyan-Corridor.jpg']);
    const caption = strFromU8(files['P-0001_caption.txt']!);
    expect(caption).toContain('Credit: Photo: Anna Petrosyan / Corridor');
    expect(caption).toContain('[hy] Մարդիկ հերթ են կանգնել հացի համար։');
    expect(caption).toContain('Place: Goris');
    const meta = await sharp(Buffer.from(files['P-0001_web_Photo-Anna-Petrosyan-Corridor.jpg']!)).metadata();
    expect([meta.width, meta.exif, meta.xmp]).toEqual([800, undefined, undefined]);
    const staff = await json<Photo>(await req(`/api/photos/${photo.id}`, cole));
    expect(staff.downloads).toBe(1);
    const [entry] = await api().platform.audit.list({ entityType: 'photo', entityId: photo.id, limit: 1 });
    expect(entry?.action).toBe('photos.download');
  });

  it('serves public copies of the redacted version once a face is covered', async () => {
    const red = await req(`/api/evidence/${evidence.id}/redactions`, rita, {
      method: 'POST',
      json: { regions: [{ x: 0, y: 0, width: 400, height: 300 }], fill: 'mosaic' },
    });
    expect(red.status).toBe(201);
    // Until the redacted copies exist, nothing is served: never the unredacted picture.
    expect((await req(`/api/public/photos/${photo.id}/image/web.jpeg`)).status).toBe(404);
    await api().platform.jobs.drain();
    const after = Buffer.from(await (await req(`/api/public/photos/${photo.id}/image/web.jpeg`)).arrayBuffer());
    const before = await sharp(await picture({ gps: true, hue: 30 }))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const now = await sharp(after).raw().toBuffer({ resolveWithObject: true });
    // A block of the mosaic (40 × 37.5 px here) across the edge of two colour bands: sharp detail in the original, one flat colour
    // (give or take JPEG noise) once redacted.
    const spread = (img: { data: Buffer; info: OutputInfo }) =>
      Math.max(
        ...[0, 1, 2].map((ch) => {
          const values: number[] = [];
          for (let y = 80; y < 108; y++)
            for (let x = 124; x < 156; x++) values.push(img.data[(y * img.info.width + x) * img.info.channels + ch]!);
          const mean = values.reduce((a, b) => a + b, 0) / values.length;
          return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
        }),
      );
    expect(spread(before)).toBeGreaterThan(30);
    expect(spread(now)).toBeLessThan(6);
  });

  it('takes a photo off every public surface at once when a consent is withdrawn: 410, not listed, no download', async () => {
    const res = await req(`/api/photos/${photo.id}/consents/${personConsentId}/withdraw`, cole, {
      method: 'POST',
      json: { note: 'asked by phone' },
    });
    expect(res.status).toBe(200);
    const staff = await json<Photo>(res);
    expect(staff).toMatchObject({ status: 'unpublished', statusReason: 'consent of woman in the red coat withdrawn' });
    expect(staff.consents.find((c) => c.id === personConsentId)?.state).toBe('withdrawn');
    const { list, item } = await publicSurfaces(photo.id);
    expect(item.status).toBe(410);
    expect(JSON.parse(list)).toEqual({ items: [], nextOffset: null });
    expect((await req(`/api/public/photos/${photo.id}/image/web.jpeg`)).status).toBe(410);
    expect((await req(`/api/photos/${photo.id}/download`, jo)).status).toBe(410);
    expect(await api().platform.photos.isUsable(photo.id, 'publish-image')).toBe(false);
    expect((await req(`/api/photos/${photo.id}/publish`, rita, { method: 'POST' })).status).toBe(409);
  });

  it('closes the gate the day after a consent expires, without anyone acting', async () => {
    const ev = await upload('checkpoint.jpg', await picture({ hue: 250 }));
    await api().platform.jobs.drain();
    const p = await json<Photo>(
      await req('/api/photos', cole, {
        method: 'POST',
        json: { ...base, evidenceId: ev.id, identifiablePersons: 0, captions: { en: 'The checkpoint' } },
      }),
    );
    const withConsent = await json<Photo>(
      await req(`/api/photos/${p.id}/consents`, cole, {
        method: 'POST',
        json: {
          subject: 'author',
          personLabel: 'Anna Petrosyan',
          scopes: ['publish-image'],
          givenOn: '2023-01-03',
          expiresOn: today,
          evidencedBy: 'verbal',
          verbalNote: 'Until the end of the campaign',
          witness: 'Office coordinator',
        },
      }),
    );
    expect((await req(`/api/photos/${p.id}/publish`, rita, { method: 'POST' })).status).toBe(200);
    expect((await req(`/api/public/photos/${p.id}`)).status).toBe(200);
    // A day passes: the expiry date is now yesterday.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await api()
      .platform.database.db.updateTable('photo_consents')
      .set({ expires_on: yesterday })
      .where('id', '=', withConsent.consents[0]!.id)
      .execute();
    expect((await req(`/api/public/photos/${p.id}`)).status).toBe(410);
    expect(JSON.parse(await (await req('/api/public/photos')).text())).toEqual({ items: [], nextOffset: null });
    const staff = await json<Photo>(await req(`/api/photos/${p.id}`, cole));
    expect(staff.gates[0]).toMatchObject({
      ok: false,
      reasons: expect.arrayContaining([`the consent of Anna Petrosyan expired on ${yesterday}`]),
    });
  });

  it('never publishes an item without usage rights, and filters the staff gallery', async () => {
    const ev = await upload('unknown.jpg', await picture({ hue: 300 }));
    await api().platform.jobs.drain();
    const p = await json<Photo>(
      await req('/api/photos', cole, {
        method: 'POST',
        json: {
          ...base,
          evidenceId: ev.id,
          usage: 'no-rights',
          identifiablePersons: 0,
          tags: ['unknown'],
          takenOn: '2023-02-01',
        },
      }),
    );
    const refused = await json<Problem>(await req(`/api/photos/${p.id}/publish`, rita, { method: 'POST' }));
    expect(refused.errors?.map((e) => e.message)).toEqual(['no usage rights: never published']);
    const byTag = await json<{ items: { code: string }[] }>(await req('/api/photos?tag=QUEUE', cole));
    expect(byTag.items.map((i) => i.code)).toEqual(['P-0002', 'P-0001']);
    const byDate = await json<{ items: { code: string }[] }>(await req('/api/photos?from=2023-01-15', cole));
    expect(byDate.items.map((i) => i.code)).toEqual(['P-0003']);
    const byPlace = await json<{ items: { code: string }[] }>(
      await req(`/api/photos?place=${factory.placeNamed('Goris').id}`, cole),
    );
    expect(byPlace.items.map((i) => i.code)).toEqual(['P-0001']);
    const unpublished = await json<{ items: { code: string }[] }>(await req('/api/photos?status=unpublished', cole));
    expect(unpublished.items.map((i) => i.code)).toEqual(['P-0001']);
  });

  it('says a re-encoded upload looks like the photo bank item', async () => {
    const copy = await sharp(await picture({ gps: true, hue: 30 }))
      .resize(500)
      .jpeg({ quality: 55 })
      .toBuffer();
    const item = await upload('forwarded.jpg', copy);
    await api().platform.jobs.drain();
    const view = await json<Evidence>(await req(`/api/evidence/${item.id}`, cole));
    expect(view.nearDuplicates[0]).toMatchObject({ id: evidence.id, photoCode: 'P-0001' });
    expect(authorConsentId).toBeTruthy();
  });

  it('filters the gallery by record (only one the viewer may see), by date range and by words', async () => {
    const ev = await upload('shelter.jpg', await picture({ hue: 200 }));
    await api().platform.jobs.drain();
    const record = await factory.record('shelter shelling', factory.get('rita'), { confidentiality: 'restricted' });
    const p = await json<Photo>(
      await req('/api/photos', rita, {
        method: 'POST',
        json: {
          ...base,
          evidenceId: ev.id,
          captions: { fr: 'Un abri touché la nuit' },
          credit: 'Photo: Narek Hakobyan',
          takenOn: '2023-03-05',
          recordIds: [record.id],
        },
      }),
    );
    const codes = async (query: string, session = cole) =>
      (await json<{ items: { code: string }[] }>(await req(`/api/photos?${query}`, session))).items.map((i) => i.code);
    expect(await codes(`record=${record.id}`, rita)).toEqual([p.code]);
    // Cole may not see the restricted record: the filter finds nothing, as for a record that does not exist.
    expect((await req(`/api/records/${record.id}`, cole)).status).toBe(404);
    expect(await codes(`record=${record.id}`)).toEqual([]);
    expect(await codes('record=no-such-record', rita)).toEqual([]);
    expect(await codes('from=2023-03-01&to=2023-03-31')).toEqual([p.code]);
    expect(await codes('from=2023-01-01&to=2023-01-31')).not.toContain(p.code);
    expect(await codes('to=2023-01-01')).toEqual([]);
    // SQLite's LIKE folds ASCII case only (the dialect's ilike): the accented word is looked for as written.
    expect(await codes('q=ABRI')).toEqual([p.code]);
    expect(await codes(`q=${encodeURIComponent('touché')}`)).toEqual([p.code]);
    expect(await codes('q=hakobyan')).toEqual([p.code]);
    expect(await codes(`q=${p.code}&tag=queue&to=2023-03-05`)).toEqual([p.code]);
    expect((await req('/api/photos?to=March', cole)).status).toBe(422);
  });

  it('links a consent to a registry person by id: their pseudonym is shown, never their identity', async () => {
    const person = await json<{ id: string; pseudonym: string }>(
      await req('/api/people', rita, {
        method: 'POST',
        json: {
          pseudonym: 'Seda K.',
          pseudonymLang: 'en',
          roles: ['interviewee'],
          identity: { fullName: 'Registry Canary Name', contact: '+374 55 000 000' },
        },
      }),
    );
    expect(person.pseudonym).toBe('Seda K.');
    const ev = await upload('portrait.jpg', await picture({ hue: 60 }));
    await api().platform.jobs.drain();
    const p = await json<Photo>(
      await req('/api/photos', cole, {
        method: 'POST',
        json: {
          ...base,
          evidenceId: ev.id,
          usage: 'open-source',
          sourceUrl: 'https://example.org/p',
          licence: 'CC BY 4.0',
        },
      }),
    );
    const consent = (personLabel: string, personId: string | undefined, scopes: string[]) =>
      req(`/api/photos/${p.id}/consents`, cole, {
        method: 'POST',
        json: {
          subject: 'person',
          personLabel,
          personId,
          scopes,
          givenOn: '2023-01-03',
          evidencedBy: 'verbal',
          verbalNote: 'Agreed in person',
          witness: 'Office coordinator',
        },
      });
    const unknown = await consent('woman at the window', 'no-such-person', ['publish-image']);
    expect((await json<Problem>(unknown)).errors?.map((e) => e.path)).toEqual(['personId']);
    const linked = await json<Photo>(await consent('woman at the window', person.id, ['publish-image']));
    expect(linked.consents[0]).toMatchObject({
      personLabel: 'woman at the window',
      person: { id: person.id, pseudonym: 'Seda K.' },
    });
    expect(JSON.stringify(linked)).not.toMatch(/Registry Canary Name|000 000/);
    // A renewal under another label is still the same registry person: it supersedes the first consent.
    const renewed = await json<Photo>(await consent('Seda at the window', person.id, ['publish-image', 'press-kit']));
    expect(renewed.gates[1]).toEqual({ scope: 'press-kit', ok: true, reasons: [] });
    await req(`/api/photos/${p.id}/consents/${renewed.consents[1]!.id}/withdraw`, cole, { method: 'POST', json: {} });
    const after = await json<Photo>(await req(`/api/photos/${p.id}`, cole));
    expect(after.gates[0]).toMatchObject({
      ok: false,
      reasons: ['the consent of Seda at the window was withdrawn', expect.any(String)],
    });
    // The public list's SQL counts the same latest consent: published with a new consent, then listed.
    await consent('Seda K.', person.id, ['publish-image']);
    // Not while a caption names her: the PII guard knows the persons the consents name.
    await req(`/api/photos/${p.id}`, cole, {
      method: 'PATCH',
      json: { captions: { en: 'Registry Canary Name at her window.' } },
    });
    const blocked = await req(`/api/photos/${p.id}/publish`, rita, { method: 'POST' });
    expect(blocked.status).toBe(422);
    expect(await blocked.text()).not.toContain('Canary');
    await req(`/api/photos/${p.id}`, cole, { method: 'PATCH', json: { captions: { en: 'A woman at her window.' } } });
    expect((await req(`/api/photos/${p.id}/publish`, rita, { method: 'POST' })).status).toBe(200);
    const pub = await json<{ items: PublicPhoto[] }>(await req('/api/public/photos?tag=queue'));
    expect(pub.items.map((i) => i.id)).toContain(p.id);
    expect(JSON.stringify(pub)).not.toMatch(/Seda|Registry Canary Name/);
  });

  it('says which uses an item is cleared for, and narrows them at once on a renewal, an expiry or a withdrawal', async () => {
    const ev = await upload('market.jpg', await picture({ hue: 120 }));
    await api().platform.jobs.drain();
    const p = await json<Photo>(
      await req('/api/photos', cole, {
        method: 'POST',
        json: { ...base, evidenceId: ev.id, captions: { en: 'The market reopens' }, tags: ['uses'] },
      }),
    );
    const consent = (subject: string, personLabel: string, scopes: string[], expiresOn: string | null = null) =>
      req(`/api/photos/${p.id}/consents`, cole, {
        method: 'POST',
        json: {
          subject,
          personLabel,
          scopes,
          givenOn: '2023-01-03',
          expiresOn,
          evidencedBy: 'verbal',
          verbalNote: 'Agreed in person',
          witness: 'Office coordinator',
        },
      }).then((r) => json<Photo>(r));
    await consent('author', 'Anna Petrosyan', ['publish-image', 'press-kit', 'social-media']);
    const draft = await consent('person', 'the stall keeper', ['publish-image', 'press-kit'], today);
    // All gates but social media are open, yet a draft may be used for nothing.
    expect(draft.gates.map((g) => g.ok)).toEqual([true, true, false]);
    expect(draft.allowedUses).toEqual([]);
    const published = await json<Photo>(await req(`/api/photos/${p.id}/publish`, rita, { method: 'POST' }));
    expect(published.allowedUses).toEqual(['publish-image', 'press-kit']);
    const usesNow = async () => ({
      staff: (await json<Photo>(await req(`/api/photos/${p.id}`, cole))).allowedUses,
      public: (await req(`/api/public/photos/${p.id}`)).status === 200,
      listed: (await json<{ items: PublicPhoto[] }>(await req('/api/public/photos?tag=uses'))).items.map(
        (i) => i.allowedUses,
      ),
      pressKit: await api().platform.photos.isUsable(p.id, 'press-kit'),
    });
    expect(await usesNow()).toEqual({
      staff: ['publish-image', 'press-kit'],
      public: true,
      listed: [['publish-image', 'press-kit']],
      pressKit: true,
    });
    expect(await json<PublicPhoto>(await req(`/api/public/photos/${p.id}`))).toMatchObject({
      allowedUses: ['publish-image', 'press-kit'],
    });
    const download = await req(`/api/photos/${p.id}/download?size=thumb`, jo);
    expect(download.headers.get('corridor-allowed-uses')).toBe('publish-image,press-kit');
    const files = unzipSync(new Uint8Array(await download.arrayBuffer()));
    expect(strFromU8(files[`${p.code}_caption.txt`]!)).toContain(
      `Allowed uses on ${today}: publishing the image; press kits`,
    );
    // The stall keeper renews for the image only: press kits are off at once, the item stays public.
    await consent('person', 'the stall keeper', ['publish-image']);
    expect(await usesNow()).toEqual({
      staff: ['publish-image'],
      public: true,
      listed: [['publish-image']],
      pressKit: false,
    });
    // The author's consent expires (a day passes with nobody acting): nothing is allowed any more.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const authorId = published.consents.find((c) => c.subject === 'author')!.id;
    await api()
      .platform.database.db.updateTable('photo_consents')
      .set({ expires_on: yesterday })
      .where('id', '=', authorId)
      .execute();
    expect(await usesNow()).toEqual({ staff: [], public: false, listed: [], pressKit: false });
    await api()
      .platform.database.db.updateTable('photo_consents')
      .set({ expires_on: null })
      .where('id', '=', authorId)
      .execute();
    expect((await usesNow()).staff).toEqual(['publish-image']);
    // A withdrawal: nothing, and the download is refused.
    const withdrawn = await json<Photo>(
      await req(`/api/photos/${p.id}/consents/${authorId}/withdraw`, cole, { method: 'POST', json: {} }),
    );
    expect(withdrawn.allowedUses).toEqual([]);
    expect(await usesNow()).toEqual({ staff: [], public: false, listed: [], pressKit: false });
    expect((await req(`/api/photos/${p.id}/download?size=thumb`, jo)).status).toBe(410);
  });
});
