import sharp from 'sharp';
import type { EvidenceService } from '../evidence/index.js';
import type { Actor } from '../http/access.js';
import type { JobRunner } from '../jobs/index.js';
import type { PlacesService } from '../places/index.js';
import type { ConsentInput, PhotosService } from '../photos/index.js';

/**
 * Demo photo bank: pictures drawn here with sharp (simple scenes, no real person or place photographed), each with
 * a fictional author's consent and a credit. The captions state context only as the seed document they name does.
 * One item shows a person whose consent is then withdrawn, so that the gate can be seen closing (its public address
 * answers 410).
 */
export interface DemoPhoto {
  key: string;
  draw: () => string;
  place: string;
  takenOn: string;
  captions: { en: string; fr: string; hy: string; ru: string };
  tags: string[];
  identifiablePersons: number;
  outcome: 'published' | 'withdrawn' | 'draft';
}

const W = 1600;
const H = 1067;
const CREDIT = 'Illustration: Corridor demo (drawn, not a photograph)';
const NOTE = {
  en: 'Drawn illustration for the demo.',
  fr: 'Illustration dessinée pour la démonstration.',
  hy: 'Ցուցադրական նկարազարդում։',
  ru: 'Нарисованная иллюстрация для демонстрации.',
};

const sky = (top: string, bottom: string) =>
  `<defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${top}"/>` +
  `<stop offset="1" stop-color="${bottom}"/></linearGradient></defs><rect width="${W}" height="${H}" fill="url(#s)"/>`;
const svg = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${body}</svg>`;

export const DEMO_PHOTOS: readonly DemoPhoto[] = [
  {
    key: 'road',
    place: 'Berdzor',
    takenOn: '2022-12-14',
    tags: ['road', 'blockade'],
    identifiablePersons: 0,
    outcome: 'published',
    draw: () =>
      svg(
        sky('#9fb8cf', '#e8eef3') +
          `<polygon points="0,${H} ${W},${H} ${W * 0.56},${H * 0.45} ${W * 0.44},${H * 0.45}" fill="#55595e"/>` +
          `<polygon points="0,${H * 0.5} ${W * 0.35},${H * 0.3} ${W * 0.7},${H * 0.48} 0,${H}" fill="#6d8a5a"/>` +
          `<polygon points="${W},${H * 0.45} ${W * 0.7},${H * 0.32} ${W * 0.5},${H * 0.47} ${W},${H}" fill="#5d7a4a"/>` +
          `<rect x="${W * 0.3}" y="${H * 0.62}" width="${W * 0.4}" height="${H * 0.05}" fill="#c0392b"/>` +
          `<rect x="${W * 0.3}" y="${H * 0.62}" width="${W * 0.08}" height="${H * 0.05}" fill="#ecf0f1"/>` +
          `<rect x="${W * 0.46}" y="${H * 0.62}" width="${W * 0.08}" height="${H * 0.05}" fill="#ecf0f1"/>` +
          `<rect x="${W * 0.62}" y="${H * 0.62}" width="${W * 0.08}" height="${H * 0.05}" fill="#ecf0f1"/>`,
      ),
    captions: {
      en: `${NOTE.en} According to the Artsakh Ombudsman's 100-day report, the Goris – Stepanakert highway through the Lachin (Berdzor) corridor, the only road to Armenia, has been blocked since 12 December 2022.`,
      fr: `${NOTE.fr} Selon le rapport des 100 jours de l'Ombudsman de l'Artsakh, l'autoroute Goris – Stepanakert qui traverse le corridor de Latchine (Berdzor), seule route vers l'Arménie, est bloquée depuis le 12 décembre 2022.`,
      hy: `${NOTE.hy} Արցախի Մարդու իրավունքների պաշտպանի 100 օրվա զեկույցի համաձայն՝ Լաչինի (Բերձորի) միջանցքով անցնող Գորիս – Ստեփանակերտ մայրուղին՝ դեպի Հայաստան միակ ճանապարհը, փակ է 2022 թ. դեկտեմբերի 12-ից։`,
      ru: `${NOTE.ru} Согласно докладу Омбудсмена Арцаха за 100 дней, трасса Горис – Степанакерт через Лачинский (Бердзорский) коридор, единственная дорога в Армению, перекрыта с 12 декабря 2022 года.`,
    },
  },
  {
    key: 'dark-windows',
    place: 'Stepanakert',
    takenOn: '2023-01-16',
    tags: ['electricity', 'winter'],
    identifiablePersons: 0,
    outcome: 'published',
    draw: () =>
      svg(
        sky('#1b2333', '#394a66') +
          Array.from({ length: 5 }, (_, b) => {
            const x = 80 + b * 300;
            const h = 500 + ((b * 137) % 250);
            const windows = Array.from({ length: 24 }, (_, k) => {
              const lit = (b * 7 + k * 5) % 11 === 0;
              return `<rect x="${x + 30 + (k % 4) * 55}" y="${H - h + 40 + Math.floor(k / 4) * 75}" width="35" height="45" fill="${lit ? '#f5d76e' : '#222a36'}"/>`;
            }).join('');
            return `<rect x="${x}" y="${H - h}" width="250" height="${h}" fill="#4b5563"/>${windows}`;
          }).join('') +
          `<circle cx="${W * 0.85}" cy="${H * 0.15}" r="40" fill="#f4f1de"/>`,
      ),
    captions: {
      en: `${NOTE.en} According to the ARMARAS press release of 16 January 2023, the only high-voltage line bringing electricity from Armenia had been damaged and engineers were not allowed to repair it.`,
      fr: `${NOTE.fr} Selon le communiqué d'ARMARAS du 16 janvier 2023, la seule ligne à haute tension apportant l'électricité depuis l'Arménie avait été endommagée et les techniciens n'étaient pas autorisés à la réparer.`,
      hy: `${NOTE.hy} ARMARAS-ի 2023 թ. հունվարի 16-ի հաղորդագրության համաձայն՝ Հայաստանից էլեկտրաէներգիա մատակարարող միակ բարձրավոլտ գիծը վնասվել էր, և մասնագետներին թույլ չէին տալիս վերանորոգել այն։`,
      ru: `${NOTE.ru} Согласно пресс-релизу ARMARAS от 16 января 2023 года, единственная высоковольтная линия, подававшая электричество из Армении, была повреждена, и инженерам не давали её починить.`,
    },
  },
  {
    key: 'queue',
    place: 'Stepanakert',
    takenOn: '2023-01-30',
    tags: ['food', 'queue'],
    identifiablePersons: 1,
    outcome: 'published',
    draw: () =>
      svg(
        sky('#d9e2ec', '#f7f9fb') +
          `<rect x="0" y="${H * 0.7}" width="${W}" height="${H * 0.3}" fill="#b7b1a5"/>` +
          `<rect x="${W * 0.7}" y="${H * 0.25}" width="${W * 0.28}" height="${H * 0.45}" fill="#8d6e63"/>` +
          `<rect x="${W * 0.78}" y="${H * 0.45}" width="${W * 0.1}" height="${H * 0.25}" fill="#3e2723"/>` +
          Array.from({ length: 9 }, (_, k) => {
            const x = W * 0.08 + k * 120;
            const c = ['#2c3e50', '#7f8c8d', '#8e44ad', '#16a085', '#c0392b'][k % 5];
            return `<circle cx="${x}" cy="${H * 0.5}" r="28" fill="#e0ac69"/><rect x="${x - 35}" y="${H * 0.53}" width="70" height="${H * 0.2}" rx="20" fill="${c}"/>`;
          }).join(''),
      ),
    captions: {
      en: `${NOTE.en} According to the ARMARAS press release of 30 January 2023, 120,000 people were going without gas, electricity, food and medicine in sub-zero temperatures.`,
      fr: `${NOTE.fr} Selon le communiqué d'ARMARAS du 30 janvier 2023, 120 000 personnes étaient privées de gaz, d'électricité, de nourriture et de médicaments par des températures négatives.`,
      hy: `${NOTE.hy} ARMARAS-ի 2023 թ. հունվարի 30-ի հաղորդագրության համաձայն՝ 120 000 մարդ զրկված էր գազից, էլեկտրաէներգիայից, սննդից և դեղորայքից՝ զրոյից ցածր ջերմաստիճանում։`,
      ru: `${NOTE.ru} Согласно пресс-релизу ARMARAS от 30 января 2023 года, 120 000 человек оставались без газа, электричества, еды и лекарств при минусовой температуре.`,
    },
  },
  {
    key: 'portrait',
    place: 'Goris',
    takenOn: '2023-02-10',
    tags: ['portrait', 'displaced'],
    identifiablePersons: 1,
    outcome: 'withdrawn',
    draw: () =>
      svg(
        sky('#ead7c3', '#c9ada7') +
          `<circle cx="${W / 2}" cy="${H * 0.38}" r="${H * 0.16}" fill="#d1a37a"/>` +
          `<rect x="${W / 2 - H * 0.25}" y="${H * 0.56}" width="${H * 0.5}" height="${H * 0.44}" rx="80" fill="#34495e"/>` +
          `<circle cx="${W / 2 - 45}" cy="${H * 0.36}" r="12" fill="#2d2d2d"/><circle cx="${W / 2 + 45}" cy="${H * 0.36}" r="12" fill="#2d2d2d"/>`,
      ),
    captions: {
      en: `${NOTE.en} A portrait whose subject later withdrew consent: it shows the consent gate taking an item off every public surface.`,
      fr: `${NOTE.fr} Un portrait dont le sujet a ensuite retiré son consentement : il montre le contrôle du consentement retirer un élément de toute diffusion publique.`,
      hy: `${NOTE.hy} Դիմանկար, որի հերոսը հետագայում հետ է կանչել իր համաձայնությունը. ցույց է տալիս, թե ինչպես է համաձայնության ստուգումը նյութը հանում բոլոր հանրային հարթակներից։`,
      ru: `${NOTE.ru} Портрет, изображённый на котором позже отозвал согласие: показывает, как проверка согласия снимает материал со всех публичных площадок.`,
    },
  },
];

export interface DemoPhotosTarget {
  evidence: Pick<EvidenceService, 'ingest' | 'get'>;
  photos: Pick<PhotosService, 'list' | 'create' | 'addConsent' | 'publish' | 'withdrawConsent' | 'get'>;
  jobs: Pick<JobRunner, 'drain'>;
  places: Pick<PlacesService, 'list'>;
}

export const demoPhotoTag = (key: string) => `demo:photo-${key}`;

const authorConsent: ConsentInput = {
  subject: 'author',
  personLabel: 'Demo illustrator (fictional)',
  scopes: ['publish-image', 'press-kit', 'social-media'],
  givenOn: '2023-02-01',
  evidencedBy: 'verbal',
  verbalNote: 'Fictional demo consent: agreed to publication with the credit line.',
  witness: 'Demo coordinator (fictional)',
};

/** Idempotent: an item is there when a photo carries its `demo:photo-<key>` tag; then nothing is written. */
export async function loadDemoPhotos(
  target: DemoPhotosTarget,
  curator: Actor,
  reviewer: Actor,
): Promise<{ count: number; created: number }> {
  let created = 0;
  for (const p of DEMO_PHOTOS) {
    const tag = demoPhotoTag(p.key);
    const existing = await target.photos.list(curator, { tag, limit: 1 });
    if (existing.items.length > 0) continue;
    const bytes = await sharp(Buffer.from(p.draw())).jpeg({ quality: 86 }).toBuffer();
    const { item } = await target.evidence.ingest(curator, {
      body: (async function* () {
        yield bytes;
      })(),
      filename: `demo-${p.key}.jpg`,
      title: `Demo illustration: ${p.key}`,
      method: 'import',
      origin: 'drawn by the demo loader',
      tool: 'sharp (corridor demo)',
    });
    const place = (await target.places.list({ q: p.place })).find((x) => x.name === p.place);
    const photo = await target.photos.create(
      {
        evidenceId: item.id,
        captions: p.captions,
        credit: CREDIT,
        takenOn: p.takenOn,
        placeId: place?.id ?? null,
        tags: [...p.tags, 'demo', tag],
        usage: 'own-work',
        identifiablePersons: p.identifiablePersons,
      },
      curator,
    );
    await target.photos.addConsent(photo.id, authorConsent, curator);
    let personConsent: string | undefined;
    if (p.identifiablePersons > 0) {
      const withPerson = await target.photos.addConsent(
        photo.id,
        {
          subject: 'person',
          personLabel: `Person shown in the ${p.key} illustration (fictional)`,
          scopes: ['publish-image'],
          givenOn: '2023-02-01',
          evidencedBy: 'verbal',
          verbalNote: 'Fictional demo consent to publication of the image.',
          witness: 'Demo coordinator (fictional)',
        },
        curator,
      );
      personConsent = withPerson.consents.find((c) => c.subject === 'person')?.id;
    }
    if (p.outcome !== 'draft') {
      await waitForCopies(target, item.id);
      await target.photos.publish(photo.id, reviewer);
      if (p.outcome === 'withdrawn' && personConsent)
        await target.photos.withdrawConsent(
          photo.id,
          personConsent,
          curator,
          'Fictional demo: the person asked to be taken down.',
        );
    }
    created += 1;
  }
  return { count: DEMO_PHOTOS.length, created };
}

/** Derivatives are a durable job: run it here (a running server's worker may have taken it: then wait for it). */
async function waitForCopies(target: DemoPhotosTarget, evidenceId: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    await target.jobs.drain();
    if ((await target.evidence.get(evidenceId, null)).status !== 'processing') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('demo photos: derivatives were not made within 30 s');
}
