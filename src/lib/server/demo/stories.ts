import type { Actor } from '../http/access.js';
import type { PeopleService } from '../people/index.js';
import type { RecordsService } from '../records/index.js';
import type { StoriesService, StoryTexts } from '../stories/index.js';
import { demoTag, type DemoRecordKey } from './records.js';

/**
 * Demo human stories. The persons are invented, and so are their identities, which are obviously fictional (a
 * "Fictitia Examplyan" lives at "1 Nowhere street"); each narrative says that it is illustrative, and states the
 * context only as the seed document it names does. Their purpose is to show the people registry, the consent gate
 * and the PII guard working, never to stand as testimony.
 */
export interface DemoStory {
  pseudonym: string;
  identity: { fullName: string; otherNames: string[]; address: string };
  texts: StoryTexts;
  records: DemoRecordKey[];
  /** published: consent given and published by the demo reviewer; withdrawn: published, then consent withdrawn. */
  outcome: 'draft' | 'published' | 'withdrawn';
}

const ILLUSTRATIVE_EN = 'Illustrative demo story: the person and the scene are invented; the context is sourced.';
const ILLUSTRATIVE_FR = 'Récit de démonstration : la personne et la scène sont inventées ; le contexte est sourcé.';

export const DEMO_STORIES: readonly DemoStory[] = [
  {
    pseudonym: 'Anahit M.',
    identity: {
      fullName: 'Fictitia Examplyan',
      otherNames: ['Ֆիկտիտիա Էքզամպլյան', 'Фиктиция Экзамплян'],
      address: '1 Nowhere street, Demotown',
    },
    texts: {
      en: {
        title: 'A classroom too cold to teach in',
        narrative:
          `${ILLUSTRATIVE_EN}\n\nAccording to the ARMARAS press release of 30 January 2023, about 30,000 children ` +
          'were kept out of school because classrooms could not be heated. Anahit M., a teacher in Stepanakert in ' +
          'this account, tells of lessons cut short, of pupils in coats, and of the day the school closed its doors ' +
          'until the gas came back.',
        translation: 'original',
      },
      fr: {
        title: 'Une classe trop froide pour y enseigner',
        narrative:
          `${ILLUSTRATIVE_FR}\n\nSelon le communiqué du collectif ARMARAS du 30 janvier 2023, environ 30 000 ` +
          'enfants ont été privés d’école faute de chauffage dans les classes. Anahit M., enseignante à ' +
          'Stepanakert dans ce récit, raconte les cours écourtés, les élèves en manteau, et le jour où l’école a ' +
          'fermé jusqu’au retour du gaz.',
        translation: 'translated',
      },
    },
    records: ['schools-unheated', 'gas-disrupted'],
    outcome: 'published',
  },
  {
    pseudonym: 'Armen K.',
    identity: {
      fullName: 'Imaginos Testyan',
      otherNames: ['Իմագինոս Թեսթյան'],
      address: '2 Nowhere street, Demotown',
    },
    texts: {
      en: {
        title: 'On the other side of the corridor',
        narrative:
          `${ILLUSTRATIVE_EN}\n\nThe Ombudsman's 100-day report states that the Goris–Stepanakert highway, the ` +
          'only road through the Lachin (Berdzor) corridor, has been blocked since 12 December 2022. Armen K., in ' +
          'this account a driver who was in Goris that day, describes waiting for a road that did not reopen.',
        translation: 'original',
      },
      fr: {
        title: 'De l’autre côté du corridor',
        narrative:
          `${ILLUSTRATIVE_FR}\n\nSelon le rapport des 100 jours de l'Ombudsman, l'axe Goris–Stepanakert, seule route ` +
          'du corridor de Latchine (Berdzor), est bloqué depuis le 12 décembre 2022. Armen K., chauffeur dans ce ' +
          'récit, se trouvait à Goris ce jour-là ; il raconte l’attente d’une route qui n’a pas rouvert.',
        translation: 'translated',
      },
    },
    records: ['road-blocked'],
    outcome: 'withdrawn',
  },
  {
    pseudonym: 'Siranush T.',
    identity: {
      fullName: 'Nonexista Demoyan',
      otherNames: ['Նոնէքզիստա Դեմոյան'],
      address: '3 Nowhere street, Demotown',
    },
    texts: {
      en: {
        title: 'Evenings without light',
        narrative:
          `${ILLUSTRATIVE_EN}\n\nThe ARMARAS press release of 16 January 2023 reports that the only high-voltage ` +
          'power line into Artsakh was damaged and that repairs were not allowed. Siranush T., an older woman in ' +
          'this account, speaks of evenings by candlelight. This story is still a draft awaiting consent.',
        translation: 'original',
      },
    },
    records: ['cable-and-power-line-damaged', 'electricity-disrupted'],
    outcome: 'draft',
  },
];

export interface DemoStoriesTarget {
  records: Pick<RecordsService, 'list'>;
  people: Pick<PeopleService, 'list' | 'create'>;
  stories: Pick<StoriesService, 'list' | 'create' | 'addConsent' | 'transition' | 'withdrawConsent'>;
}

/**
 * Loads the demo stories, each with its person. Idempotent: a person is there when its pseudonym is, a story when
 * one is about that person. Written by the demo documenter (who may then read the fictional identities); the demo
 * reviewer publishes, so that four eyes hold even here.
 */
export async function loadDemoStories(
  target: DemoStoriesTarget,
  author: Actor,
  reviewer: Actor,
): Promise<{ count: number; created: number }> {
  let created = 0;
  const people = await target.people.list(author);
  for (const s of DEMO_STORIES) {
    const person =
      people.find((p) => p.pseudonym === s.pseudonym) ??
      (await target.people.create(
        {
          pseudonym: s.pseudonym,
          pseudonymLang: 'en',
          roles: ['interviewee'],
          identity: { ...s.identity, contact: null, identifiers: [], notes: 'Fictional demo identity.' },
        },
        author,
      ));
    if ((await target.stories.list({ personId: person.id })).length > 0) continue;
    const recordIds: string[] = [];
    for (const key of s.records) {
      const { items } = await target.records.list(author, { tag: demoTag(key), limit: 1 });
      if (items[0]) recordIds.push(items[0].id);
    }
    const story = await target.stories.create({ personId: person.id, texts: s.texts, recordIds }, author);
    created += 1;
    if (s.outcome === 'draft') continue;
    const withConsent = await target.stories.addConsent(
      story.id,
      {
        scopes: ['text'],
        givenOn: '2023-03-01',
        evidence: 'verbal',
        evidenceNote: 'Demo: a verbal consent to the text read back, as an office would note it.',
        witness: 'Demo documenter',
      },
      author,
    );
    await target.stories.transition(story.id, { to: 'in-review' }, author);
    await target.stories.transition(story.id, { to: 'approved' }, reviewer);
    await target.stories.transition(story.id, { to: 'published' }, reviewer);
    if (s.outcome === 'withdrawn')
      await target.stories.withdrawConsent(
        story.id,
        withConsent.consents[0]!.id,
        { withdrawnOn: '2023-03-15', note: 'Demo: the person asked for the story to be taken down.' },
        author,
      );
  }
  return { count: DEMO_STORIES.length, created };
}
