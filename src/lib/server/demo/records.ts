import type { CreateRecordInput } from '../records/index.js';
import type { CreateSourceInput } from '../sources/index.js';

/**
 * Demo sources and records drawn from the seed documents (DOMAIN.md; issue 3, "Demo data").
 *
 * Every record text is our own wording of a claim that a named document makes, and says so ("According to …"); the
 * `quote` of each source link is a short, exact quote from the document, which is what that field is for. The
 * documents' political characterisations are left out on purpose, except where a record names a responsible actor:
 * there the attribution says whose claim it is.
 *
 * Sources are registered ungraded: grading is a reviewer's judgement. Records stay drafts with verification
 * `reported` and confidentiality `public`: publishing needs a reviewer who is not the author (four eyes), and demo
 * data must not pretend that someone reviewed it.
 */

export type DemoSourceKey = 'ombudsman-100-days' | 'armaras-2023-01-16' | 'armaras-2023-01-30';

export interface DemoSource {
  key: DemoSourceKey;
  input: CreateSourceInput & { title: string; publisher: string };
}

/**
 * The closest values of the source type enum: the ombudsman's report is `study-report` (an office's report compiled
 * from its inquiries to state bodies, studies, interviews and open sources, not an official act or decision, which
 * `official-document` is for); the press releases are `media-report` (the enum has no press-release type, and a press
 * release is a communication addressed to the media).
 */
export const DEMO_SOURCES: readonly DemoSource[] = [
  {
    key: 'ombudsman-100-days',
    input: {
      type: 'study-report',
      title:
        'Report on the violations of individual and collective human rights as a result of Azerbaijan’s blockade of Artsakh (Nagorno-Karabakh) (100 days)',
      date: '2023-03-21',
      datePrecision: 'day',
      language: 'en',
      publisher: 'Human Rights Defender (Ombudsman) of the Republic of Artsakh',
    },
  },
  {
    key: 'armaras-2023-01-16',
    input: {
      type: 'media-report',
      title:
        'Blockade of the Latchin corridor by Azerbaijan between Armenia and Artsakh: ARMARAS collective mobilizes to inform the general public',
      date: '2023-01-16',
      datePrecision: 'day',
      language: 'en',
      publisher: 'ARMARAS collective (press release, Paris)',
    },
  },
  {
    key: 'armaras-2023-01-30',
    input: {
      type: 'media-report',
      title: 'Urgent humanitarian situation following the blockade of Artsakh (Nagorno-Karabakh)',
      date: '2023-01-30',
      datePrecision: 'day',
      language: 'en',
      publisher: 'ARMARAS collective (press release, Paris)',
    },
  },
];

export type DemoRecordKey =
  | 'road-blocked'
  | 'gas-disrupted'
  | 'electricity-disrupted'
  | 'communications-disrupted'
  | 'cable-and-power-line-damaged'
  | 'schools-unheated';

export interface DemoText {
  title: string;
  summary: string;
  description: string | null;
}

/** The demo place a record refers to, by the preferred name and type it has in `DEMO_PLACES`. */
export interface DemoPlaceRef {
  name: string;
  type: string;
}

export interface DemoRecord {
  /** Stable key: stored as the tag `demo:<key>`, which is how a second run finds the record (see `demoTag`). */
  key: DemoRecordKey;
  /** Both written by us from the English documents: `original` (the default translation status) in each. */
  texts: Record<'en' | 'fr', DemoText>;
  fields: Omit<CreateRecordInput, 'texts' | 'placeIds' | 'rightIds' | 'links' | 'tags'>;
  places: DemoPlaceRef[];
  /** Codes of the rights taxonomy seeded by migration 0003. */
  rights: string[];
  /** Typed links to other demo records (stored on this record), created earlier in `DEMO_RECORDS`. */
  links: { kind: 'caused-by' | 'part-of' | 'follow-up-of'; record: DemoRecordKey }[];
  /**
   * Published by the demo reviewer when the loader first creates it (never again: a record a user has taken back
   * stays as they left it), so that the portal, its map and timeline have something to show. The others stay drafts
   * for trying the review workflow.
   */
  publish: boolean;
  /** The sources that support it, each with a short, exact quote from the document. */
  sources: { source: DemoSourceKey; quote: string }[];
}

/** The tag marking every demo record, and the one that identifies each. */
export const DEMO_TAG = 'demo';
export const demoTag = (key: DemoRecordKey): string => `demo:${key}`;

const STEPANAKERT: DemoPlaceRef = { name: 'Stepanakert', type: 'city' };
const GORIS: DemoPlaceRef = { name: 'Goris', type: 'town' };
const BERDZOR: DemoPlaceRef = { name: 'Berdzor', type: 'town' };

// Exact, down to the no-break space the document has before the parenthesis.
const INFRASTRUCTURE_QUOTE =
  'Azerbaijan has also deliberately disrupted the operation of the critical infrastructure of Artsakh\u00a0(natural gas supply, electricity supply, Internet and mobile communication)';

const INFRASTRUCTURE_RESPONSIBLE = [
  {
    name: 'Azerbaijan',
    attribution:
      'According to the Ombudsman’s 100-day report (as of 2023-03-21), Azerbaijan disrupted this infrastructure deliberately, to worsen the humanitarian situation.',
  },
];

/**
 * In creation order: a record's `links` only name records above it. Start dates are as the documents give them,
 * with their precision; the disruptions are dated only "along with the blockade" in the report, hence
 * `2022-12` approximate.
 */
export const DEMO_RECORDS: readonly DemoRecord[] = [
  {
    key: 'road-blocked',
    publish: true,
    texts: {
      en: {
        title: 'Goris–Stepanakert highway through the Lachin (Berdzor) corridor blocked',
        summary:
          'According to the Ombudsman’s 100-day report, the only road linking the region with Armenia and the rest of the world, the Goris–Stepanakert highway through the Lachin (Berdzor) corridor, has been blocked since about 10:30 (GMT+4) on 12 December 2022, and was still blocked on 21 March 2023, leaving all 120,000 inhabitants, 30,000 of them children, isolated.',
        description:
          'According to the report, the road was blocked by a group of people in civilian clothes who presented themselves as environmental activists. The ARMARAS press release of 16 January 2023 also reports the corridor blocked since 12 December 2022 and says the blockade deprives people of food, medical care and electricity in winter.',
      },
      fr: {
        title: 'L’axe Goris–Stepanakert, dans le corridor de Latchine (Berdzor), bloqué',
        summary:
          'Selon le rapport de l’Ombudsman sur les 100 jours, la seule route reliant la région à l’Arménie et au reste du monde, l’axe Goris–Stepanakert qui traverse le corridor de Latchine (Berdzor), est bloquée depuis le 12 décembre 2022 vers 10 h 30 (GMT+4), et l’était encore le 21 mars 2023 : ses 120 000 habitants, dont 30 000 enfants, sont isolés.',
        description:
          'Selon le rapport, la route a été bloquée par un groupe de personnes en civil se présentant comme des militants écologistes. Le communiqué d’ARMARAS du 16 janvier 2023 fait lui aussi état du blocage du corridor depuis le 12 décembre 2022 et indique qu’il prive la population de nourriture, de soins et d’électricité en plein hiver.',
      },
    },
    fields: {
      violationType: 'blockade',
      startDate: '2022-12-12',
      startPrecision: 'day',
      ongoing: true,
      affected: { wholePopulation: 120_000, children: 30_000 },
      responsible: [
        {
          name: 'Government of Azerbaijan',
          attribution:
            'According to the Ombudsman’s 100-day report (as of 2023-03-21), the people who blocked the road presented themselves as environmental activists, agents of Azerbaijani state special services took part, and the protest was organised by the Azerbaijani government.',
        },
      ],
    },
    places: [BERDZOR, GORIS, STEPANAKERT],
    rights: ['IND-MOVEMENT', 'IND-FOOD', 'IND-HEALTH'],
    links: [],
    sources: [
      {
        source: 'ombudsman-100-days',
        quote:
          'blocked the only road, Goris – Stepanakert Highway, which passes through the Lachin (Berdzor) corridor connecting Artsakh (Nagorno-Karabakh) with Armenia and the outside world',
      },
      {
        source: 'armaras-2023-01-16',
        quote:
          'Since Monday, December 12, the Latchin corridor, the only road connecting the Armenians of Artsakh (Nagorno-Karabakh) to the territory of Armenia, has been blocked',
      },
    ],
  },
  {
    key: 'gas-disrupted',
    publish: true,
    texts: {
      en: {
        title: 'Natural gas supply repeatedly disrupted during the blockade',
        summary:
          'According to the Ombudsman’s 100-day report, the supply of natural gas to the region was disrupted during the blockade of the road, which began on 12 December 2022, worsening the humanitarian situation in winter.',
        description: null,
      },
      fr: {
        title: 'Approvisionnement en gaz naturel perturbé à plusieurs reprises pendant le blocus',
        summary:
          'Selon le rapport de l’Ombudsman sur les 100 jours, l’approvisionnement de la région en gaz naturel a été perturbé pendant le blocage de la route, commencé le 12 décembre 2022, ce qui a aggravé la situation humanitaire en hiver.',
        description: null,
      },
    },
    fields: {
      violationType: 'denial-of-services',
      startDate: '2022-12',
      startPrecision: 'approximate',
      responsible: INFRASTRUCTURE_RESPONSIBLE,
    },
    places: [STEPANAKERT],
    // The seeded taxonomy has no right to an adequate standard of living: health is the closest (heating in winter).
    rights: ['IND-HEALTH'],
    links: [],
    sources: [{ source: 'ombudsman-100-days', quote: INFRASTRUCTURE_QUOTE }],
  },
  {
    key: 'electricity-disrupted',
    publish: true,
    texts: {
      en: {
        title: 'Electricity supply repeatedly disrupted during the blockade',
        summary:
          'According to the Ombudsman’s 100-day report, the region’s electricity supply was disrupted during the blockade of the road, which began on 12 December 2022.',
        description: null,
      },
      fr: {
        title: 'Approvisionnement en électricité perturbé à plusieurs reprises pendant le blocus',
        summary:
          'Selon le rapport de l’Ombudsman sur les 100 jours, l’approvisionnement de la région en électricité a été perturbé pendant le blocage de la route, commencé le 12 décembre 2022.',
        description: null,
      },
    },
    fields: {
      violationType: 'denial-of-services',
      startDate: '2022-12',
      startPrecision: 'approximate',
      responsible: INFRASTRUCTURE_RESPONSIBLE,
    },
    places: [STEPANAKERT],
    rights: ['IND-HEALTH'],
    links: [],
    sources: [{ source: 'ombudsman-100-days', quote: INFRASTRUCTURE_QUOTE }],
  },
  {
    key: 'communications-disrupted',
    publish: true,
    texts: {
      en: {
        title: 'Internet and mobile communications disrupted during the blockade',
        summary:
          'According to the Ombudsman’s 100-day report, internet access and mobile communications in the region were disrupted during the blockade of the road, which began on 12 December 2022.',
        description: null,
      },
      fr: {
        title: 'Internet et communications mobiles perturbés pendant le blocus',
        summary:
          'Selon le rapport de l’Ombudsman sur les 100 jours, l’accès à internet et les communications mobiles dans la région ont été perturbés pendant le blocage de la route, commencé le 12 décembre 2022.',
        description: null,
      },
    },
    fields: {
      violationType: 'denial-of-services',
      startDate: '2022-12',
      startPrecision: 'approximate',
      responsible: INFRASTRUCTURE_RESPONSIBLE,
    },
    places: [STEPANAKERT],
    // No right to information or expression in the seeded taxonomy: left without a right rather than a wrong one.
    rights: [],
    links: [],
    sources: [{ source: 'ombudsman-100-days', quote: INFRASTRUCTURE_QUOTE }],
  },
  {
    key: 'cable-and-power-line-damaged',
    publish: false,
    texts: {
      en: {
        title: 'Only fibre-optic cable and only high-voltage power line damaged; repairs not allowed',
        summary:
          'According to the ARMARAS press release of 16 January 2023, the only fibre-optic cable bringing the internet from Armenia and the only high-voltage power line supplying electricity had been damaged since the previous Friday, and the Azerbaijani government did not let local engineers repair them.',
        description: null,
      },
      fr: {
        title: 'Le seul câble à fibre optique et la seule ligne à haute tension endommagés ; réparations refusées',
        summary:
          'Selon le communiqué d’ARMARAS du 16 janvier 2023, le seul câble à fibre optique apportant internet depuis l’Arménie et la seule ligne à haute tension alimentant la région en électricité étaient endommagés depuis le vendredi précédent, et le gouvernement azerbaïdjanais n’a pas laissé les techniciens locaux les réparer.',
        description: null,
      },
    },
    fields: {
      // The release says the lines "have been damaged", not by whom or how: no attack is claimed. What is a denial
      // is the refused repair.
      violationType: 'denial-of-services',
      // "Since Friday" in a release dated Monday 16 January 2023: Friday 13 January 2023. Derived from a weekday, not
      // stated as a date, hence approximate.
      startDate: '2023-01-13',
      startPrecision: 'approximate',
      ongoing: true,
      responsible: [
        {
          name: 'Government of Azerbaijan',
          attribution:
            'According to the ARMARAS press release of 2023-01-16, the Azerbaijani government refused to let engineers from the region repair the damage.',
        },
      ],
    },
    // The release does not say where the cable and the line were damaged.
    places: [],
    rights: ['IND-HEALTH'],
    // The damage is one episode of the electricity and internet disruptions the report describes: `part-of` fits
    // better than `caused-by` (the report's disruptions began before it) or `follow-up-of`.
    links: [
      { kind: 'part-of', record: 'electricity-disrupted' },
      { kind: 'part-of', record: 'communications-disrupted' },
    ],
    sources: [
      {
        source: 'armaras-2023-01-16',
        quote:
          'Since Friday, the only fiber optic cable providing Internet connection to Artsakh from Armenia, as well as the only high-powered power line that provided electricity, have been damaged.',
      },
    ],
  },
  {
    key: 'schools-unheated',
    publish: false,
    texts: {
      en: {
        title: '30,000 children out of school because classrooms could not be heated',
        summary:
          'According to the ARMARAS press release of 30 January 2023, 30,000 children in the region were deprived of education because schools had no heating during the blockade.',
        description: null,
      },
      fr: {
        title: '30 000 enfants privés d’école faute de chauffage dans les classes',
        summary:
          'Selon le communiqué d’ARMARAS du 30 janvier 2023, 30 000 enfants de la région étaient privés d’éducation parce que les écoles n’étaient pas chauffées pendant le blocus.',
        description: null,
      },
    },
    fields: {
      violationType: 'denial-of-services',
      // Reported as of the release's date; when the schools closed is not said.
      startDate: '2023-01-30',
      startPrecision: 'approximate',
      affected: { children: 30_000 },
    },
    places: [STEPANAKERT],
    rights: ['IND-EDUCATION', 'VUL-CHILDREN'],
    links: [],
    sources: [
      {
        source: 'armaras-2023-01-30',
        quote: '30,000 children deprived of education because of the lack of heating in schools',
      },
    ],
  },
];
