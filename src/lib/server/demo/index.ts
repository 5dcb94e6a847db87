import { ROLES, type Actor, type Role } from '../http/access.js';
import type { PeopleService } from '../people/index.js';
import type { PlacesService } from '../places/index.js';
import type { PortalService } from '../portal/index.js';
import type { RecordsService } from '../records/index.js';
import type { RightsService } from '../rights/index.js';
import type { SourcesService } from '../sources/index.js';
import type { StoriesService } from '../stories/index.js';
import { loadDemoCrisis, type DemoCrisisResult } from './crisis.js';
import { DEMO_HIGHLIGHTS } from './highlights.js';
import { DEMO_PLACES } from './places.js';
import { loadDemoPhotos, type DemoPhotosTarget } from './photos.js';
import { DEMO_RECORDS, DEMO_SOURCES, DEMO_TAG, demoTag, type DemoRecordKey, type DemoSourceKey } from './records.js';
import { loadDemoReports, type DemoReportsResult } from './reports.js';
import { loadDemoStories } from './stories.js';

export { DEMO_HIGHLIGHTS } from './highlights.js';
export { DEMO_PLACES } from './places.js';
export { DEMO_PHOTOS, demoPhotoTag } from './photos.js';
export { DEMO_RECORDS, DEMO_SOURCES, DEMO_TAG, demoTag } from './records.js';
export { DEMO_STORIES } from './stories.js';

/**
 * DEMO ONLY. One shared, published password for the demo accounts, so that anyone trying Corridor can sign in as
 * each role. Never load demo data into a deployment that holds real records.
 */
export const DEMO_ONLY_PASSWORD = 'corridor-demo-only';

export const DEMO_EMAIL_DOMAIN = 'demo.corridor.test';

export const DEMO_ACCOUNTS: readonly { email: string; role: Role; displayName: string }[] = ROLES.map((role) => ({
  email: `${role}@${DEMO_EMAIL_DOMAIN}`,
  role,
  displayName: `Demo ${role[0]!.toUpperCase()}${role.slice(1)}`,
}));

/** What the loader needs from the accounts service; the platform's service fits it. */
export interface DemoAccountsPort {
  findUserByEmail(email: string): Promise<{ id: string } | null | undefined>;
  createUser(
    input: { email: string; displayName?: string; role: Role; password: string },
    actorId: string | null,
  ): Promise<{ id: string }>;
}

/** The parts of a platform the loader writes through. */
export interface DemoTarget {
  /** The evidence vault, its jobs and the photo bank (issue 4); left out by targets that do not have them. */
  evidence?: DemoPhotosTarget['evidence'];
  photos?: DemoPhotosTarget['photos'];
  jobs?: DemoPhotosTarget['jobs'];
  accounts: DemoAccountsPort;
  portal: Pick<PortalService, 'replaceHighlights'>;
  places: Pick<PlacesService, 'list' | 'create'>;
  rights: Pick<RightsService, 'findByCode'>;
  sources: Pick<SourcesService, 'list' | 'create' | 'get' | 'linkRecord'>;
  records: Pick<RecordsService, 'list' | 'create' | 'transition'>;
  /** The crisis dashboard (issue 6); left out by targets that do not have it. */
  crisis?: Parameters<typeof loadDemoCrisis>[0];
  /** Report editions (issue 6); left out by targets that do not have them. */
  reports?: Parameters<typeof loadDemoReports>[0];
  people: Pick<PeopleService, 'list' | 'create'>;
  stories: Pick<StoriesService, 'list' | 'create' | 'addConsent' | 'transition' | 'withdrawConsent'>;
}

export interface DemoResult {
  /** Drawn demo pictures in the photo bank (issue 4), one with a withdrawn consent. */
  photos?: { count: number; created: number };
  accounts: { email: string; role: Role; created: boolean }[];
  highlights: { count: number; changed: boolean };
  places: { count: number; created: number };
  sources: { count: number; created: number };
  records: { count: number; created: number; published: number };
  /** Source–record links (`supports`, with a quote) added now. */
  links: { created: number };
  /** What the crisis demo added now (issue 6). */
  crisis?: DemoCrisisResult;
  /** The demo report and its published edition (issue 6). */
  reports?: DemoReportsResult;
  /** Human stories about fictional protected persons (issue 5). */
  stories: { count: number; created: number };
}

/** The demo account that authors the demo records (see `demoAuthor`). */
export const DEMO_RECORDS_AUTHOR_ROLE = 'documenter' satisfies Role;

/**
 * The actor the demo records are written as. The records service needs an `Actor` (a record's author is an existing
 * account), so the demo records are authored by the demo documenter account the loader has just made sure of; the
 * source–record links are made by it too. It is a demo actor built here, not a signed-in session: nobody reviewed
 * anything. Sources themselves are registered by the system (actor null), which the sources service accepts.
 */
export function demoAuthor(userId: string): Actor {
  return { userId, role: DEMO_RECORDS_AUTHOR_ROLE, via: 'token', pendingSecondFactor: false };
}

/**
 * Loads the demo accounts, portal highlights, places, sources and records. Idempotent: whatever already exists is
 * left alone, so a second run writes nothing and adds no audit entry. Writes are attributed to the system (actor
 * null), except the records and their source links, which the records service attributes to an account: the demo
 * documenter (see `demoAuthor`). Four of them are published by the demo reviewer, with a note saying so, so that the
 * portal has something to show; the rest stay drafts for trying the workflow.
 */
export async function loadDemo(target: DemoTarget): Promise<DemoResult> {
  const accounts: DemoResult['accounts'] = [];
  let authorId: string | undefined;
  let reviewerId: string | undefined;
  let curatorId: string | undefined;
  for (const a of DEMO_ACCOUNTS) {
    const found = await target.accounts.findUserByEmail(a.email);
    const user =
      found ??
      (await target.accounts.createUser(
        { email: a.email, displayName: a.displayName, role: a.role, password: DEMO_ONLY_PASSWORD },
        null,
      ));
    if (a.role === DEMO_RECORDS_AUTHOR_ROLE) authorId = user.id;
    if (a.role === 'reviewer') reviewerId = user.id;
    if (a.role === 'communicator') curatorId = user.id;
    accounts.push({ email: a.email, role: a.role, created: !found });
  }

  const changed = await target.portal.replaceHighlights(DEMO_HIGHLIGHTS, null);

  // A place is there already when one of that type has the same preferred name; an admin's edits to it stay.
  let created = 0;
  for (const p of DEMO_PLACES) {
    const same = await target.places.list({ q: p.name, type: p.type });
    if (same.some((s) => s.name === p.name)) continue;
    await target.places.create(p, null);
    created += 1;
  }

  if (authorId === undefined) throw new Error(`no demo ${DEMO_RECORDS_AUTHOR_ROLE} account`);
  if (reviewerId === undefined) throw new Error('no demo reviewer account');
  const reviewer: Actor = { userId: reviewerId, role: 'reviewer', via: 'token', pendingSecondFactor: false };
  const register = await loadRegister(target, demoAuthor(authorId), reviewer);
  const crisis = target.crisis ? await loadDemoCrisis(target.crisis, target.sources) : undefined;
  const stories = await loadDemoStories(target, demoAuthor(authorId), reviewer);
  // After the crisis: the edition's counters come from it.
  const reports = target.reports && crisis ? await loadDemoReports(target.reports, reviewer) : undefined;
  const photos =
    target.evidence && target.photos && target.jobs && curatorId !== undefined
      ? await loadDemoPhotos(
          { evidence: target.evidence, photos: target.photos, jobs: target.jobs, places: target.places },
          { userId: curatorId, role: 'communicator', via: 'token', pendingSecondFactor: false },
          reviewer,
        )
      : undefined;
  return {
    accounts,
    ...(photos ? { photos } : {}),
    highlights: { count: DEMO_HIGHLIGHTS.length, changed },
    places: { count: DEMO_PLACES.length, created },
    ...register,
    ...(crisis ? { crisis } : {}),
    ...(reports ? { reports } : {}),
    stories,
  };
}

/**
 * The demo sources and records. Matching keys, since no migration may add a marker column: a source is there when
 * one of that type has the same title and publisher (the list's title filter narrows, the exact comparison decides);
 * a record is there when one carries its `demo:<key>` tag (the records list filters by tag). A link is added only
 * when the source does not already support the record, so that a run interrupted half-way completes on the next.
 */
async function loadRegister(
  target: DemoTarget,
  author: Actor,
  reviewer: Actor,
): Promise<Pick<DemoResult, 'sources' | 'records' | 'links'>> {
  const sourceIds = new Map<DemoSourceKey, string>();
  let sourcesCreated = 0;
  for (const s of DEMO_SOURCES) {
    const { items } = await target.sources.list({ q: s.input.title, type: s.input.type, limit: 500 });
    const same = items.find((i) => i.title === s.input.title && i.publisher === s.input.publisher);
    if (same) sourceIds.set(s.key, same.id);
    else {
      sourceIds.set(s.key, (await target.sources.create(s.input, null)).id);
      sourcesCreated += 1;
    }
  }

  const placeIds = new Map<string, string>();
  for (const p of DEMO_PLACES) {
    const found = (await target.places.list({ q: p.name, type: p.type })).find((x) => x.name === p.name);
    if (found) placeIds.set(`${p.type} ${p.name}`, found.id);
  }
  const rightIds = new Map<string, string>();
  for (const code of new Set(DEMO_RECORDS.flatMap((r) => r.rights))) {
    const right = await target.rights.findByCode(code);
    if (right) rightIds.set(code, right.id);
  }

  const recordIds = new Map<DemoRecordKey, string>();
  let recordsCreated = 0;
  let linksCreated = 0;
  const toPublish: string[] = [];
  for (const r of DEMO_RECORDS) {
    const { items } = await target.records.list(author, { tag: demoTag(r.key), limit: 1 });
    let id = items[0]?.id;
    if (id === undefined) {
      const record = await target.records.create(
        {
          ...r.fields,
          texts: r.texts,
          verification: 'reported',
          confidentiality: 'public',
          // A place or right an admin has removed since is left out rather than failing the whole load.
          placeIds: r.places.flatMap((p) => placeIds.get(`${p.type} ${p.name}`) ?? []),
          rightIds: r.rights.flatMap((c) => rightIds.get(c) ?? []),
          tags: [DEMO_TAG, demoTag(r.key)],
          links: r.links.flatMap((l) => {
            const to = recordIds.get(l.record);
            return to === undefined ? [] : [{ kind: l.kind, recordId: to }];
          }),
        },
        author,
      );
      id = record.id;
      recordsCreated += 1;
      if (r.publish) toPublish.push(id);
    }
    recordIds.set(r.key, id);
    for (const link of r.sources) {
      const sourceId = sourceIds.get(link.source)!;
      const source = await target.sources.get(sourceId, author);
      if (source.records.some((l) => l.recordId === id && l.relation === 'supports')) continue;
      await target.sources.linkRecord(sourceId, { recordId: id, relation: 'supports', quote: link.quote }, author);
      linksCreated += 1;
    }
  }
  // After the source links, which a published record could no longer take. Four eyes as ever: the documenter
  // submits, the demo reviewer (another account) approves and publishes, and the note says it is a demo.
  for (const id of toPublish) {
    await target.records.transition(id, { to: 'in-review' }, author);
    await target.records.transition(id, { to: 'approved', note: DEMO_REVIEW_NOTE }, reviewer);
    await target.records.transition(id, { to: 'published', note: DEMO_REVIEW_NOTE }, reviewer);
  }
  return {
    sources: { count: DEMO_SOURCES.length, created: sourcesCreated },
    records: { count: DEMO_RECORDS.length, created: recordsCreated, published: toPublish.length },
    links: { created: linksCreated },
  };
}

/** Every demo approval and publication says what it is, in the history and the audit chain. */
const DEMO_REVIEW_NOTE = 'Demo data: published by the demo reviewer to show the public portal, not a real review.';

/** The accounts table printed after a demo load; the password line says loudly that it is for demos only. */
export function formatDemoAccounts(result: DemoResult): string {
  const width = Math.max(...result.accounts.map((a) => a.email.length));
  const lines = result.accounts.map(
    (a) => `  ${a.role.padEnd(13)} ${a.email.padEnd(width)}  ${a.created ? 'created' : 'already there'}`,
  );
  return [
    'Demo accounts',
    `  ${'role'.padEnd(13)} ${'email'.padEnd(width)}`,
    ...lines,
    `  password for all of them: ${DEMO_ONLY_PASSWORD}   (DEMO ONLY: never use demo data on a real deployment)`,
    '  Roles that require two-factor authentication (admin, by default) enrol an authenticator app at first sign-in.',
    `  ${result.highlights.count} portal highlights from the seed documents ${result.highlights.changed ? 'stored' : 'already stored'}.`,
    `  ${result.places.count} demo places in the gazetteer (${result.places.created} added now).`,
    `  ${result.sources.count} demo sources (${result.sources.created} added now, ${result.sources.count - result.sources.created} already there) and ${result.records.count} demo records (${result.records.created} added now, ${result.records.count - result.records.created} already there).`,
    `  The demo records are by the demo ${DEMO_RECORDS_AUTHOR_ROLE}, verification "reported"; ${DEMO_RECORDS.filter((r) => r.publish).length} were published by the demo reviewer (four eyes) when first loaded, the others are drafts to try the workflow with.`,
    ...(result.crisis
      ? [
          `  The seed crisis (day 1: 2022-12-12, Asia/Yerevan) with gas, electricity and internet disruptions (${result.crisis.disruptions} added now) and illustrative indicators (${result.crisis.indicators} added now).`,
        ]
      : []),
    `  ${result.stories.count} illustrative human stories about fictional persons (${result.stories.created} added now): one published, one taken down after its consent was withdrawn, one draft.`,
    ...(result.photos
      ? [
          `  ${result.photos.count} drawn demo pictures in the photo bank (${result.photos.created} added now): three published with their (fictional) consents, one taken down after its consent was withdrawn.`,
        ]
      : []),
  ].join('\n');
}
