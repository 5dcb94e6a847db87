import { beforeAll, expect, it } from 'vitest';
import type { IngestResult } from '../evidence/index.js';
import { formWith, picture } from '../evidence/testing.js';
import type { Person } from '../people/index.js';
import type { Photo } from '../photos/index.js';
import { describeEachApi } from '../testing/api.js';
import { createFactory } from '../testing/factories.js';

type Problem = { type: string; errors?: { path: string; message: string }[] };

/** The PII guard before a photo is published: its captions, against the persons of the stories that show it. */
describeEachApi('PII guard on photo captions', (api) => {
  let cole: string;
  let rita: string;
  let dora: string;
  let photo: Photo;
  const json = async <T>(res: Response) => (await res.json()) as T;
  const publish = () => api().request(`/api/photos/${photo.id}/publish`, { method: 'POST', session: rita });
  const caption = (en: string) =>
    api().request(`/api/photos/${photo.id}`, { method: 'PATCH', session: cole, json: { captions: { en } } });

  beforeAll(async () => {
    const factory = createFactory(api());
    cole = (await factory.signedIn('cole', { role: 'communicator' })).session;
    rita = (await factory.signedIn('rita', { role: 'reviewer' })).session;
    dora = (await factory.signedIn('dora', { role: 'documenter' })).session;
    const upload = await api().request('/api/evidence', {
      method: 'POST',
      session: cole,
      body: formWith('bakery.jpg', await picture({ hue: 90 })),
    });
    const { item } = await json<IngestResult>(upload);
    await api().platform.jobs.drain();
    photo = await json<Photo>(
      await api().request('/api/photos', {
        method: 'POST',
        session: cole,
        json: {
          evidenceId: item.id,
          captions: { en: 'Ruzanna Qanarikova waits outside the bakery.' },
          credit: 'Photo: Corridor',
          takenOn: '2023-01-05',
          usage: 'own-work',
          identifiablePersons: 0,
        },
      }),
    );
    const consent = await api().request(`/api/photos/${photo.id}/consents`, {
      method: 'POST',
      session: cole,
      json: {
        subject: 'author',
        personLabel: 'the photographer',
        scopes: ['publish-image'],
        givenOn: '2023-01-05',
        evidencedBy: 'verbal',
        verbalNote: 'Agreed by phone',
        witness: 'Office coordinator',
      },
    });
    expect(consent.status).toBe(201);
    const person = await json<Person>(
      await api().request('/api/people', {
        method: 'POST',
        session: dora,
        json: {
          pseudonym: 'Mane R.',
          pseudonymLang: 'en',
          roles: ['victim'],
          identity: { fullName: 'Ruzanna Qanarikova' },
        },
      }),
    );
    const story = await api().request('/api/stories', {
      method: 'POST',
      session: dora,
      json: {
        personId: person.id,
        texts: { en: { title: 'Bread', narrative: 'Mane R. queues.' } },
        photoIds: [photo.id],
      },
    });
    expect(story.status).toBe(201);
  });

  it('refuses a caption naming the person of a story that shows the photo, then publishes the fixed one', async () => {
    const blocked = await publish();
    expect(blocked.status).toBe(422);
    const text = await blocked.text();
    expect(text).not.toContain('Qanarikova');
    expect((JSON.parse(text) as Problem).errors).toEqual([
      { path: 'captions.en', message: expect.stringContaining('real name of the protected person Mane R.') },
    ]);
    expect((await caption('A woman waits outside the bakery; call +374 91 111222 to help.')).status).toBe(200);
    expect((await json<Problem>(await publish())).errors!.map((e) => e.message)).toEqual([
      expect.stringMatching(/a phone number$/),
    ]);
    expect((await caption('A woman waits outside the bakery.')).status).toBe(200);
    expect((await publish()).status).toBe(200);
  });
});
