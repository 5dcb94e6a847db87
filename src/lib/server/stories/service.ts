import type { AuditLog } from '../audit/index.js';
import { newId, nowIso } from '../core/ids.js';
import type { Executor, Tx, UnitOfWork } from '../db/index.js';
import { allows, type Actor } from '../http/access.js';
import { parseOr422, Problem, problems } from '../http/problem.js';
import {
  describeFinding,
  scan,
  type Finding,
  type GuardPublication,
  type GuardText,
  type ProtectedIdentity,
} from '../privacy/index.js';
import type { ConsentRow, StoriesRepository, StoryBundle, StoryRow } from './repository.js';
import {
  CreateConsentSchema,
  CreateStorySchema,
  PiiCheckSchema,
  STORY_LANGS,
  StoryTransitionSchema,
  UpdateStorySchema,
  WithdrawConsentSchema,
  type Consent,
  type ConsentScope,
  type CreateStoryInput,
  type PublicStory,
  type Story,
  type StoryLang,
  type StoryLinkKind,
  type StoryStatus,
  type StoryTexts,
  type UpdateStoryInput,
} from './schema.js';

/** What the stories module needs of the people registry: pseudonyms out, identities only for the guard. */
export interface StoryPeople {
  pseudonyms(ids: string[], ex?: Executor): Promise<Map<string, string>>;
  accessibleBy(userId: string): Promise<Set<string>>;
  identitiesForGuard(
    tx: Tx,
    personIds: string[],
    purpose: { actorId: string | null; entityType: string; entityId: string },
  ): Promise<ProtectedIdentity[]>;
}

/** Checks of what a story links to, answered by the register's modules. */
export interface StoryReferences {
  /** Records the actor may see among these. */
  visibleRecords(actor: Actor | null, ids: string[]): Promise<Set<string>>;
  existingRights(ids: string[]): Promise<Set<string>>;
  existingPlaces(ids: string[]): Promise<Set<string>>;
  /** The source's type and the protected person it refers to, or null when there is no such source. */
  source(id: string): Promise<{ type: string; personRef: string | null } | null>;
}

export interface StoriesServiceDeps {
  repo: StoriesRepository;
  uow: UnitOfWork;
  audit: AuditLog;
  people: StoryPeople;
  refs: StoryReferences;
  /** The PII guard every publication goes through. */
  guardPublication: GuardPublication;
  /** Today in the office's reckoning; injected so tests can move it. */
  today?: () => string;
}

const TRANSITIONS: Record<StoryStatus, Partial<Record<StoryStatus, 'stories:write' | 'stories:review'>>> = {
  draft: { 'in-review': 'stories:write' },
  'in-review': { draft: 'stories:write', approved: 'stories:review' },
  approved: { published: 'stories:review', draft: 'stories:write' },
  published: { unpublished: 'stories:review' },
  unpublished: { draft: 'stories:write' },
};
const EDITABLE: readonly StoryStatus[] = ['draft', 'in-review', 'unpublished'];

const notFound = () => problems.notFound('No such story.');

export function consentValidOn(c: Pick<ConsentRow, 'given_on' | 'expires_on' | 'withdrawn_on'>, day: string): boolean {
  return (
    c.given_on <= day &&
    (c.expires_on === null || day <= c.expires_on) &&
    (c.withdrawn_on === null || day < c.withdrawn_on)
  );
}

/** The scopes a story needs consent for: its text always, photo when it shows photos. */
function requiredScopes(photoCount: number): ConsentScope[] {
  return photoCount > 0 ? ['text', 'photo'] : ['text'];
}

function missingScopes(b: StoryBundle, day: string): ConsentScope[] {
  const photos = b.links.filter((l) => l.kind === 'photo').length;
  const covered = new Set(
    b.consents.filter((c) => consentValidOn(c, day)).flatMap((c) => JSON.parse(c.scopes) as ConsentScope[]),
  );
  return requiredScopes(photos).filter((s) => !covered.has(s));
}

function textsOf(b: StoryBundle): StoryTexts {
  const out: StoryTexts = {};
  for (const t of b.texts)
    out[t.lang as (typeof STORY_LANGS)[number]] = {
      title: t.title,
      narrative: t.narrative,
      translation: t.translation as 'original',
    };
  return out;
}

function guardTexts(texts: StoryTexts): GuardText[] {
  return STORY_LANGS.flatMap((l) => {
    const t = texts[l];
    return t
      ? [
          { field: `texts.${l}.title`, text: t.title },
          { field: `texts.${l}.narrative`, text: t.narrative },
        ]
      : [];
  });
}

const findingView = (f: Finding) => ({
  kind: f.kind,
  field: f.field,
  start: f.start,
  end: f.end,
  ...(f.pseudonym ? { pseudonym: f.pseudonym } : {}),
  message: describeFinding(f),
});

/**
 * Human stories. A story is published under a pseudonym only, after four eyes, with valid consent for what it
 * shows, and after the PII guard found nothing (or a reviewer overrode it, with a reason on the audit chain). The
 * public sees a story only while it is published and its consent holds today: a withdrawal or an expiry takes it
 * off every public surface at once, because each public read checks the consent.
 */
export class StoriesService {
  constructor(private readonly deps: StoriesServiceDeps) {}

  private get repo() {
    return this.deps.repo;
  }

  today(): string {
    return (this.deps.today ?? (() => new Date().toISOString().slice(0, 10)))();
  }

  private async view(b: StoryBundle, pseudonyms: Map<string, string>): Promise<Story> {
    const day = this.today();
    const ids = (kind: StoryLinkKind) => b.links.filter((l) => l.kind === kind).map((l) => l.target_id);
    const missing = missingScopes(b, day);
    return {
      id: b.row.id,
      code: b.row.code,
      status: b.row.status as StoryStatus,
      version: b.row.version,
      personId: b.row.person_id,
      pseudonym: pseudonyms.get(b.row.person_id) ?? '?',
      texts: textsOf(b),
      interviewSourceId: b.row.interview_source_id,
      recordIds: ids('record'),
      rightIds: ids('right'),
      placeIds: ids('place'),
      photoIds: ids('photo'),
      consents: b.consents.map((c) => consentView(c, day)),
      publicNow: b.row.status === 'published' && missing.length === 0,
      missingConsent: missing,
      authorId: b.row.author_id,
      statusReason: b.row.status_reason,
      publishedAt: b.row.published_at,
      createdAt: b.row.created_at,
      updatedAt: b.row.updated_at,
    };
  }

  private async load(id: string, ex?: Executor): Promise<StoryBundle> {
    const row = await this.repo.findById(id, ex);
    if (!row) throw notFound();
    return (await this.repo.bundles([row], ex))[0]!;
  }

  async get(id: string, ex?: Executor): Promise<Story> {
    const b = await this.load(id, ex);
    return this.view(b, await this.deps.people.pseudonyms([b.row.person_id], ex));
  }

  async list(f: { status?: StoryStatus; personId?: string } = {}) {
    const bundles = await this.repo.bundles(await this.repo.list(f));
    const names = await this.deps.people.pseudonyms(bundles.map((b) => b.row.person_id));
    const day = this.today();
    return bundles.map((b) => {
      const first = STORY_LANGS.find((l) => b.texts.some((t) => t.lang === l)) ?? 'en';
      return {
        id: b.row.id,
        code: b.row.code,
        status: b.row.status as StoryStatus,
        pseudonym: names.get(b.row.person_id) ?? '?',
        publicNow: b.row.status === 'published' && missingScopes(b, day).length === 0,
        updatedAt: b.row.updated_at,
        title: b.texts.find((t) => t.lang === first)?.title ?? '',
        lang: first,
      };
    });
  }

  private async checkLinks(
    actor: Actor,
    v: {
      personId?: string;
      interviewSourceId?: string | null;
      recordIds?: string[];
      rightIds?: string[];
      placeIds?: string[];
    },
  ): Promise<void> {
    const errors: { path: string; message: string }[] = [];
    const unknown = (path: string, ids: string[] | undefined, found: Set<string>) => {
      const missing = (ids ?? []).filter((id) => !found.has(id));
      if (missing.length) errors.push({ path, message: `unknown: ${missing.join(', ')}` });
    };
    if (v.personId !== undefined && !(await this.deps.people.pseudonyms([v.personId])).has(v.personId))
      errors.push({ path: 'personId', message: 'no such person in the registry' });
    if (v.recordIds?.length) unknown('recordIds', v.recordIds, await this.deps.refs.visibleRecords(actor, v.recordIds));
    if (v.rightIds?.length) unknown('rightIds', v.rightIds, await this.deps.refs.existingRights(v.rightIds));
    if (v.placeIds?.length) unknown('placeIds', v.placeIds, await this.deps.refs.existingPlaces(v.placeIds));
    if (v.interviewSourceId) {
      const s = await this.deps.refs.source(v.interviewSourceId);
      if (!s) errors.push({ path: 'interviewSourceId', message: 'no such source' });
      else if (s.type !== 'interview') errors.push({ path: 'interviewSourceId', message: 'must be an interview' });
    }
    if (errors.length) throw problems.validation(errors);
  }

  private async writeParts(
    tx: Tx,
    id: string,
    v: { texts?: StoryTexts; recordIds?: string[]; rightIds?: string[]; placeIds?: string[]; photoIds?: string[] },
  ) {
    if (v.texts) {
      const texts = v.texts;
      await this.repo.replaceTexts(
        tx,
        id,
        STORY_LANGS.flatMap((lang) => {
          const t = texts[lang];
          return t ? [{ lang, title: t.title, narrative: t.narrative, translation: t.translation }] : [];
        }),
      );
    }
    const links: [StoryLinkKind, string[] | undefined][] = [
      ['record', v.recordIds],
      ['right', v.rightIds],
      ['place', v.placeIds],
      ['photo', v.photoIds],
    ];
    for (const [kind, ids] of links) if (ids) await this.repo.replaceLinks(tx, id, kind, [...new Set(ids)]);
  }

  async create(input: CreateStoryInput, actor: Actor): Promise<Story> {
    const v = parseOr422(CreateStorySchema, input);
    await this.checkLinks(actor, v);
    const id = await this.deps.uow.run(async (tx) => {
      const at = nowIso();
      const year = Number(at.slice(0, 4));
      const code = `S-${year}-${String(await this.repo.nextNumber(tx, year)).padStart(4, '0')}`;
      const id = newId();
      await this.repo.insert(tx, {
        id,
        code,
        person_id: v.personId,
        interview_source_id: v.interviewSourceId,
        status: 'draft',
        author_id: actor.userId,
        version: 1,
        published_at: null,
        status_reason: null,
        created_at: at,
        updated_at: at,
      });
      await this.writeParts(tx, id, v);
      await this.deps.audit.record(tx, {
        actorId: actor.userId,
        action: 'story.created',
        entityType: 'story',
        entityId: id,
        change: { code, personId: v.personId, languages: Object.keys(v.texts) },
      });
      return id;
    });
    return this.get(id);
  }

  async update(id: string, input: UpdateStoryInput, actor: Actor): Promise<Story> {
    const v = parseOr422(UpdateStorySchema, input);
    await this.checkLinks(actor, v);
    await this.deps.uow.run(async (tx) => {
      const row = await this.repo.findById(id, tx);
      if (!row) throw notFound();
      if (!EDITABLE.includes(row.status as StoryStatus))
        throw problems.conflict(`A ${row.status} story cannot be edited: move it back to draft first.`);
      const patch: Partial<StoryRow> = { updated_at: nowIso() };
      if (v.interviewSourceId !== undefined) patch.interview_source_id = v.interviewSourceId;
      if (!(await this.repo.update(tx, id, v.version, patch)))
        throw problems.conflict('The story was changed by someone else meanwhile: reload it and try again.');
      await this.writeParts(tx, id, v);
      await this.deps.audit.record(tx, {
        actorId: actor.userId,
        action: 'story.updated',
        entityType: 'story',
        entityId: id,
        change: { fields: Object.keys(v).filter((k) => k !== 'version') },
      });
    });
    return this.get(id);
  }

  /** The protected persons of a story: its person, and the interviewee of its interview source. */
  private async personsOf(b: StoryBundle): Promise<Map<string, string>> {
    const personIds = [b.row.person_id];
    if (b.row.interview_source_id) {
      const s = await this.deps.refs.source(b.row.interview_source_id);
      if (s?.personRef) personIds.push(s.personRef);
    }
    return this.deps.people.pseudonyms(personIds);
  }

  /**
   * The live check while writing: names are checked only for persons whose identity the writer may read, so that
   * the check cannot be used to guess a name one has no access to; the others are listed as unchecked (the
   * reviewer's check before publication covers everyone).
   */
  private async guard(
    b: StoryBundle,
    texts: StoryTexts,
    userId: string,
  ): Promise<{ findings: Finding[]; unchecked: string[] }> {
    const known = await this.personsOf(b);
    const readable = await this.deps.people.accessibleBy(userId);
    const unchecked = [...known.keys()].filter((p) => !readable.has(p)).map((p) => known.get(p)!);
    const checkable = [...known.keys()].filter((p) => readable.has(p));
    const persons: ProtectedIdentity[] = await this.deps.uow.run((tx) =>
      this.deps.people.identitiesForGuard(tx, checkable, { actorId: userId, entityType: 'story', entityId: b.row.id }),
    );
    return { findings: scan(guardTexts(texts), persons), unchecked };
  }

  async piiCheck(id: string, input: unknown, actor: Actor) {
    const v = parseOr422(PiiCheckSchema, input);
    const b = await this.load(id);
    const { findings, unchecked } = await this.guard(b, v.texts ?? textsOf(b), actor.userId);
    return { findings: findings.map(findingView), unchecked };
  }

  async transition(id: string, input: unknown, actor: Actor): Promise<Story> {
    const t = parseOr422(StoryTransitionSchema, input);
    const b = await this.load(id);
    const from = b.row.status as StoryStatus;
    const needs = TRANSITIONS[from][t.to];
    if (!needs) throw problems.conflict(`A story cannot go from ${from} to ${t.to}.`);
    if (!allows(actor, needs)) throw problems.forbidden(`Moving a story to ${t.to} needs a reviewer.`);
    if (t.to === 'unpublished' && !t.reason)
      throw problems.validation([{ path: 'reason', message: 'say why the story is unpublished' }]);
    if (t.to === 'published') {
      if (b.row.author_id === actor.userId)
        throw new Problem(403, 'four-eyes', 'Four eyes: a reviewer other than the author must publish this story.');
      const missing = missingScopes(b, this.today());
      if (missing.length)
        throw new Problem(
          409,
          'consent-required',
          `The story cannot be published without valid consent for: ${missing.join(', ')}.`,
        );
      await this.deps.guardPublication({
        entityType: 'story',
        entityId: id,
        texts: guardTexts(textsOf(b)),
        personIds: [...(await this.personsOf(b)).keys()],
        actorId: actor.userId,
        override: t.piiOverride,
      });
    }
    await this.deps.uow.run(async (tx) => {
      const at = nowIso();
      const ok = await this.repo.update(tx, id, b.row.version, {
        status: t.to,
        status_reason: t.reason ?? null,
        updated_at: at,
        published_at: t.to === 'published' ? at : t.to === 'unpublished' ? null : b.row.published_at,
      });
      if (!ok) throw problems.conflict('The story was changed by someone else meanwhile: reload it and try again.');
      await this.deps.audit.record(tx, {
        actorId: actor.userId,
        action: `story.${t.to}`,
        entityType: 'story',
        entityId: id,
        change: { from, to: t.to, reason: t.reason ?? null },
      });
    });
    return this.get(id);
  }

  async addConsent(id: string, input: unknown, actor: Actor): Promise<Story> {
    const v = parseOr422(CreateConsentSchema, input);
    await this.deps.uow.run(async (tx) => {
      if (!(await this.repo.findById(id, tx))) throw notFound();
      const consentId = newId();
      await this.repo.insertConsent(tx, {
        id: consentId,
        story_id: id,
        scopes: JSON.stringify([...new Set(v.scopes)]),
        given_on: v.givenOn,
        expires_on: v.expiresOn,
        withdrawn_on: null,
        withdrawal_note: null,
        evidence: v.evidence,
        evidence_note: v.evidenceNote,
        witness: v.witness,
        form_sha256: v.formSha256,
        recorded_by: actor.userId,
        created_at: nowIso(),
      });
      await this.deps.audit.record(tx, {
        actorId: actor.userId,
        action: 'story.consent.recorded',
        entityType: 'story',
        entityId: id,
        change: { consentId, scopes: v.scopes, givenOn: v.givenOn, expiresOn: v.expiresOn, evidence: v.evidence },
      });
    });
    return this.get(id);
  }

  /** A withdrawal unpublishes the story at once, in the same transaction, whatever else it still has. */
  async withdrawConsent(id: string, consentId: string, input: unknown, actor: Actor): Promise<Story> {
    const v = parseOr422(WithdrawConsentSchema, input);
    await this.deps.uow.run(async (tx) => {
      const row = await this.repo.findById(id, tx);
      if (!row) throw notFound();
      const consent = await this.repo.findConsent(id, consentId, tx);
      if (!consent) throw problems.notFound('No such consent on this story.');
      if (consent.withdrawn_on !== null) throw problems.conflict('This consent was already withdrawn.');
      await this.repo.withdrawConsent(tx, consentId, v.withdrawnOn, v.note);
      await this.deps.audit.record(tx, {
        actorId: actor.userId,
        action: 'story.consent.withdrawn',
        entityType: 'story',
        entityId: id,
        change: { consentId, withdrawnOn: v.withdrawnOn },
      });
      if (row.status === 'published' || row.status === 'approved') {
        await this.repo.update(tx, id, row.version, {
          status: 'unpublished',
          status_reason: 'consent withdrawn',
          published_at: null,
          updated_at: nowIso(),
        });
        await this.deps.audit.record(tx, {
          actorId: actor.userId,
          action: 'story.unpublished',
          entityType: 'story',
          entityId: id,
          change: { from: row.status, to: 'unpublished', reason: 'consent withdrawn' },
        });
      }
    });
    return this.get(id);
  }

  /** Published stories whose consent holds today; links only to records the public may see. */
  async listPublic(): Promise<PublicStory[]> {
    return this.publicViews(await this.repo.published());
  }

  /** The public form of these stories: only those published with consent valid today, by pseudonym. */
  private async publicViews(rows: StoryRow[]): Promise<PublicStory[]> {
    const day = this.today();
    const bundles = (await this.repo.bundles(rows.filter((r) => r.status === 'published'))).filter(
      (b) => missingScopes(b, day).length === 0,
    );
    const names = await this.deps.people.pseudonyms(bundles.map((b) => b.row.person_id));
    const records = await this.deps.refs.visibleRecords(
      null,
      bundles.flatMap((b) => b.links.filter((l) => l.kind === 'record').map((l) => l.target_id)),
    );
    return bundles.map((b) => {
      const ids = (kind: StoryLinkKind) => b.links.filter((l) => l.kind === kind).map((l) => l.target_id);
      return {
        id: b.row.id,
        code: b.row.code,
        pseudonym: names.get(b.row.person_id) ?? '',
        texts: textsOf(b),
        recordIds: ids('record').filter((r) => records.has(r)),
        rightIds: ids('right'),
        placeIds: ids('place'),
        photoIds: ids('photo'),
        publishedAt: b.row.published_at!,
      };
    });
  }

  /**
   * One public story. 404 for what was never public; 410 Gone for a story that was published and no longer is
   * (unpublished, consent withdrawn or expired): caches and mirrors should drop it.
   */
  async getPublic(id: string): Promise<PublicStory> {
    const row = await this.repo.findById(id);
    if (!row) throw notFound();
    const [story] = await this.publicViews([row]);
    if (story) return story;
    const everPublished = row.status === 'published' || row.status === 'unpublished';
    if (everPublished) throw new Problem(410, 'gone', 'This story is no longer published.');
    throw notFound();
  }

  /**
   * Stories for a report edition's section on one right: public now (published, consent valid today and on the
   * edition's date), published by that date, and linked to the right or to one of the section's records; in the
   * edition's language, or else in their first language, marked as a fallback.
   */
  async contributionsFor(ctx: { rightId: string; lang: StoryLang; asOf: string; recordIds: string[] }) {
    const day = this.today();
    const records = new Set(ctx.recordIds);
    const bundles = (await this.repo.bundles(await this.repo.published())).filter(
      (b) =>
        b.row.published_at !== null &&
        b.row.published_at.slice(0, 10) <= ctx.asOf &&
        missingScopes(b, day).length === 0 &&
        missingScopes(b, ctx.asOf).length === 0 &&
        b.links.some(
          (l) =>
            (l.kind === 'right' && l.target_id === ctx.rightId) || (l.kind === 'record' && records.has(l.target_id)),
        ),
    );
    const names = await this.deps.people.pseudonyms(bundles.map((b) => b.row.person_id));
    return bundles.map((b) => {
      const text =
        b.texts.find((t) => t.lang === ctx.lang) ?? b.texts.find((t) => STORY_LANGS.includes(t.lang as StoryLang))!;
      const lang = text.lang as StoryLang;
      const fallback = lang !== ctx.lang;
      return {
        kind: 'story' as const,
        title: { text: `${text.title} (${names.get(b.row.person_id) ?? ''})`, lang, fallback },
        text: { text: text.narrative, lang, fallback },
        image: null,
      };
    });
  }

  /** Persons of stories linked to a record, for the PII guard on the record's publication. */
  personsLinkedToRecord(recordId: string): Promise<string[]> {
    return this.repo.personsLinkedTo('record', recordId);
  }

  /** Persons of stories that show a photo, for the PII guard on its captions. */
  personsLinkedToPhoto(photoId: string): Promise<string[]> {
    return this.repo.personsLinkedTo('photo', photoId);
  }
}

function consentView(c: ConsentRow, day: string): Consent {
  return {
    id: c.id,
    scopes: JSON.parse(c.scopes) as ConsentScope[],
    givenOn: c.given_on,
    expiresOn: c.expires_on,
    withdrawnOn: c.withdrawn_on,
    withdrawalNote: c.withdrawal_note,
    evidence: c.evidence as Consent['evidence'],
    evidenceNote: c.evidence_note,
    witness: c.witness,
    formSha256: c.form_sha256,
    validToday: consentValidOn(c, day),
    createdAt: c.created_at,
  };
}
