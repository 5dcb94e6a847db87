import { strToU8, zipSync } from 'fflate';
import type { z } from '@hono/zod-openapi';
import type { AuditLog } from '../audit/index.js';
import { newId, nowIso } from '../core/ids.js';
import type { Db, Tx, UnitOfWork } from '../db/index.js';
import type { Evidence, EvidenceService } from '../evidence/index.js';
import type { Actor } from '../http/access.js';
import { parseOr422, Problem, problems } from '../http/problem.js';
import { allowedUses, consentState, gate } from './gate.js';
import type { ConsentRow, PhotoRow, PhotosRepository } from './repository.js';
import {
  CONSENT_SCOPES,
  ConsentInputSchema,
  CreatePhotoSchema,
  PHOTO_FORMATS,
  PHOTO_SIZES,
  PhotoListQuerySchema,
  PublicPhotoListQuerySchema,
  UpdatePhotoSchema,
  type Consent,
  type ConsentInput,
  type ConsentScope,
  type CreatePhotoInput,
  type Photo,
  type PhotoSummary,
  type PublicPhoto,
  type UpdatePhotoInput,
} from './schema.js';

export type VisibleRecordIds = (actor: Actor | null, ids: string[]) => Promise<Set<string>>;

export interface PhotosServiceDeps {
  db: Db;
  repo: PhotosRepository;
  uow: UnitOfWork;
  audit: AuditLog;
  evidence: Pick<EvidenceService, 'get' | 'derivative' | 'derivativeBytes' | 'hasDerivative'>;
  /** A place's preferred name, or undefined when there is no such place. */
  placeName: (id: string) => Promise<string | undefined>;
  visibleRecordIds: VisibleRecordIds;
  /**
   * Pseudonyms of people registry persons by id (the people module's index): a consent may name a registry person,
   * and the photo bank shows nothing of them but this. Absent: consents cannot name one.
   */
  personPseudonyms?: (ids: string[]) => Promise<Map<string, string>>;
  /** Today is `clock()`'s UTC date (consent expiry). Injected so that tests fix it. */
  clock?: () => Date;
  /**
   * The PII guard (people protection), run on the captions before a photo is published: throws when they name a
   * protected person of a story showing the photo or of a consent (`personIds`: the registry persons its consents
   * name), or show a phone number, e-mail or ID number.
   */
  publishGuard?: (
    photo: { id: string; captions: Record<string, string>; personIds: string[] },
    actor: Actor,
  ) => Promise<unknown>;
}

type Size = (typeof PHOTO_SIZES)[number];

/** The uses as the caption file names them (plain English, like the rest of that file). */
const USE_NAMES: Record<ConsentScope, string> = {
  'publish-image': 'publishing the image',
  'press-kit': 'press kits',
  'social-media': 'social media',
};
type Format = (typeof PHOTO_FORMATS)[number];

const notFound = () => problems.notFound('No such photo.');
/** Was public once and is not any more: 410, so that caches and mirrors drop it. */
const gone = () => new Problem(410, 'gone', 'This photo is no longer published.');

/**
 * The photo bank: pictures from the vault with captions, credit, place, tags, rights and consents. What leaves it
 * publicly passes the gate at the moment it is asked for, so a withdrawal or an expiry takes effect everywhere at
 * once; a withdrawal also marks the item unpublished, in the same transaction.
 */
export class PhotosService {
  constructor(private readonly deps: PhotosServiceDeps) {}

  private get repo() {
    return this.deps.repo;
  }

  today(): string {
    return (this.deps.clock ?? (() => new Date()))().toISOString().slice(0, 10);
  }

  async create(input: CreatePhotoInput, actor: Actor): Promise<Photo> {
    const data = parseOr422(CreatePhotoSchema, input);
    const ev = await this.deps.evidence.get(data.evidenceId, null).catch(() => undefined);
    if (!ev) throw problems.validation([{ path: 'evidenceId', message: 'no such evidence file' }]);
    if (!ev.mediaType.startsWith('image/'))
      throw problems.validation([{ path: 'evidenceId', message: 'only an image can go to the photo bank' }]);
    await this.checkRefs(actor, data);
    const at = nowIso();
    const id = newId();
    await this.deps.uow.run(async (tx) => {
      const row: PhotoRow = {
        id,
        code: `P-${String(await this.repo.nextCode(tx)).padStart(4, '0')}`,
        evidence_id: data.evidenceId,
        credit: data.credit,
        taken_on: data.takenOn ?? null,
        place_id: data.placeId ?? null,
        usage: data.usage,
        source_url: data.sourceUrl ?? null,
        licence: data.licence ?? null,
        identifiable_persons: data.identifiablePersons,
        status: 'draft',
        status_reason: null,
        published_at: null,
        published_by: null,
        first_published_at: null,
        created_by: actor.userId,
        created_at: at,
        updated_at: at,
      };
      await this.repo.insert(tx, row);
      await this.repo.replaceCaptions(tx, id, definedOnly(data.captions));
      await this.repo.replaceTags(tx, id, data.tags);
      await this.repo.replaceRecords(tx, id, data.recordIds, []);
      await this.audit(tx, actor.userId, 'photos.create', id, { after: { ...row, ...data } });
    });
    return this.get(id, actor);
  }

  async update(id: string, input: UpdatePhotoInput, actor: Actor): Promise<Photo> {
    const data = parseOr422(UpdatePhotoSchema, input);
    await this.checkRefs(actor, { placeId: data.placeId, recordIds: data.recordIds ?? [] });
    // Links to records the editor cannot see stay as they are (and unseen).
    const recordsBefore = data.recordIds ? await this.repo.recordIds(id) : [];
    const visibleBefore = recordsBefore.length
      ? await this.deps.visibleRecordIds(actor, recordsBefore)
      : new Set<string>();
    const keep = recordsBefore.filter((r) => !visibleBefore.has(r));
    await this.deps.uow.run(async (tx) => {
      const before = await this.repo.findById(id, tx);
      if (!before) throw notFound();
      const after: PhotoRow = {
        ...before,
        credit: data.credit ?? before.credit,
        taken_on: data.takenOn === undefined ? before.taken_on : data.takenOn,
        place_id: data.placeId === undefined ? before.place_id : data.placeId,
        usage: data.usage ?? before.usage,
        source_url: data.sourceUrl === undefined ? before.source_url : data.sourceUrl,
        licence: data.licence === undefined ? before.licence : data.licence,
        identifiable_persons: data.identifiablePersons ?? before.identifiable_persons,
        updated_at: nowIso(),
      };
      if (after.usage === 'open-source' && (!after.source_url || !after.licence))
        throw problems.validation([
          ...(after.source_url ? [] : [{ path: 'sourceUrl', message: 'an open source needs its address' }]),
          ...(after.licence ? [] : [{ path: 'licence', message: 'an open source needs its licence' }]),
        ]);
      await this.repo.update(tx, after);
      if (data.captions) await this.repo.replaceCaptions(tx, id, definedOnly(data.captions));
      if (data.tags) await this.repo.replaceTags(tx, id, data.tags);
      if (data.recordIds) await this.repo.replaceRecords(tx, id, data.recordIds, keep);
      await this.audit(tx, actor.userId, 'photos.update', id, { before, after, change: data });
      await this.closeIfGateShut(tx, after, actor.userId, 'the item changed and no longer passes the consent gate');
    });
    return this.get(id, actor);
  }

  async addConsent(id: string, input: ConsentInput, actor: Actor): Promise<Photo> {
    const data = parseOr422(ConsentInputSchema, input);
    if (data.evidencedBy === 'form') {
      const form = await this.deps.evidence.get(data.formEvidenceId!, null).catch(() => undefined);
      if (!form) throw problems.validation([{ path: 'formEvidenceId', message: 'no such evidence file' }]);
    }
    if (data.personId && !(await this.pseudonyms([data.personId])).has(data.personId))
      throw problems.validation([{ path: 'personId', message: 'no such person in the registry' }]);
    await this.deps.uow.run(async (tx) => {
      if (!(await this.repo.findById(id, tx))) throw notFound();
      const row: ConsentRow = {
        id: newId(),
        photo_id: id,
        subject: data.subject,
        person_label: data.personLabel,
        scopes: JSON.stringify([...new Set(data.scopes)]),
        given_on: data.givenOn,
        expires_on: data.expiresOn ?? null,
        withdrawn_at: null,
        withdrawn_note: null,
        evidenced_by: data.evidencedBy,
        form_evidence_id: data.evidencedBy === 'form' ? (data.formEvidenceId ?? null) : null,
        verbal_note: data.evidencedBy === 'verbal' ? (data.verbalNote ?? null) : null,
        witness: data.evidencedBy === 'verbal' ? (data.witness ?? null) : null,
        created_by: actor.userId,
        created_at: nowIso(),
        person_id: data.personId ?? null,
      };
      await this.repo.insertConsent(tx, row);
      await this.audit(tx, actor.userId, 'photos.consent-add', id, { consent: row });
    });
    return this.get(id, actor);
  }

  /** Withdraws a consent: the item leaves every public surface at once (its status says why). */
  async withdrawConsent(id: string, consentId: string, actor: Actor, note?: string): Promise<Photo> {
    await this.deps.uow.run(async (tx) => {
      const photo = await this.repo.findById(id, tx);
      const consent = await this.repo.findConsent(consentId, tx);
      if (!photo || !consent || consent.photo_id !== id) throw problems.notFound('No such consent.');
      if (consent.withdrawn_at) throw problems.conflict('This consent was already withdrawn.');
      await this.repo.withdrawConsent(tx, consentId, nowIso(), note?.trim() || null);
      await this.audit(tx, actor.userId, 'photos.consent-withdraw', id, { consentId, note: note ?? null });
      await this.closeIfGateShut(tx, photo, actor.userId, `consent of ${consent.person_label} withdrawn`);
    });
    return this.get(id, actor);
  }

  private async closeIfGateShut(tx: Tx, photo: PhotoRow, actorId: string | null, why: string): Promise<void> {
    if (photo.status !== 'published') return;
    const consents = (await this.repo.consents([photo.id], tx)).get(photo.id) ?? [];
    const g = gate(photo, consents, 'publish-image', this.today());
    if (g.ok) return;
    await this.repo.setStatus(tx, photo.id, { status: 'unpublished', status_reason: why, updated_at: nowIso() });
    await this.audit(tx, actorId, 'photos.unpublish', photo.id, { reason: why, gate: g });
  }

  async publish(id: string, actor: Actor): Promise<Photo> {
    const photo = await this.repo.findById(id);
    if (!photo) throw notFound();
    if (!(await this.deps.evidence.hasDerivative(photo.evidence_id, 'web', 'jpeg')))
      throw new Problem(
        409,
        'not-ready',
        'The picture is still being processed (or its redaction is): try again soon.',
      );
    if (this.deps.publishGuard) {
      const [captions, consents] = await Promise.all([this.repo.captions([id]), this.repo.consents([id])]);
      const personIds = [...new Set((consents.get(id) ?? []).flatMap((c) => (c.person_id ? [c.person_id] : [])))];
      await this.deps.publishGuard({ id, captions: captions.get(id) ?? {}, personIds }, actor);
    }
    await this.deps.uow.run(async (tx) => {
      const row = await this.repo.findById(id, tx);
      if (!row) throw notFound();
      const consents = (await this.repo.consents([id], tx)).get(id) ?? [];
      const g = gate(row, consents, 'publish-image', this.today());
      if (!g.ok)
        throw new Problem(409, 'consent-gate', `This photo cannot be published: ${g.reasons.join('; ')}.`, {
          errors: g.reasons.map((r) => ({ path: 'consents', message: r })),
        });
      const at = nowIso();
      await this.repo.setStatus(tx, id, {
        status: 'published',
        status_reason: null,
        updated_at: at,
        published_at: at,
        published_by: actor.userId,
        first_published_at: row.first_published_at ?? at,
      });
      await this.audit(tx, actor.userId, 'photos.publish', id, { gate: g });
    });
    return this.get(id, actor);
  }

  async unpublish(id: string, actor: Actor, reason: string): Promise<Photo> {
    await this.deps.uow.run(async (tx) => {
      const row = await this.repo.findById(id, tx);
      if (!row) throw notFound();
      if (row.status !== 'published') throw problems.conflict('This photo is not published.');
      await this.repo.setStatus(tx, id, { status: 'unpublished', status_reason: reason, updated_at: nowIso() });
      await this.audit(tx, actor.userId, 'photos.unpublish', id, { reason });
    });
    return this.get(id, actor);
  }

  async list(actor: Actor, query: Partial<z.input<typeof PhotoListQuerySchema>> = {}) {
    const f = parseOr422(PhotoListQuerySchema, query);
    if (f.record && !(await this.deps.visibleRecordIds(actor, [f.record])).has(f.record))
      return { items: [], nextOffset: null };
    const rows = await this.repo.list({ ...f, limit: f.limit + 1 });
    const page = rows.slice(0, f.limit);
    const ids = page.map((r) => r.id);
    const [captions, tags, consents, places] = await Promise.all([
      this.repo.captions(ids),
      this.repo.tags(ids),
      this.repo.consents(ids),
      this.placeNames(page),
    ]);
    const today = this.today();
    const items: PhotoSummary[] = page.map((r) => ({
      id: r.id,
      code: r.code,
      captions: captions.get(r.id) ?? {},
      credit: r.credit,
      takenOn: r.taken_on,
      place: r.place_id ? { id: r.place_id, name: places.get(r.place_id) ?? '' } : null,
      tags: tags.get(r.id) ?? [],
      usage: r.usage,
      status: r.status,
      thumbnail: `/api/photos/${r.id}/image/thumb.webp`,
      publishable: gate(r, consents.get(r.id) ?? [], 'publish-image', today).ok,
    }));
    return { items, nextOffset: rows.length > f.limit ? f.offset + f.limit : null };
  }

  async get(id: string, actor: Actor | null): Promise<Photo> {
    const row = await this.repo.findById(id);
    if (!row) throw notFound();
    const [captions, tags, consents, records, places, downloads, ev] = await Promise.all([
      this.repo.captions([id]),
      this.repo.tags([id]),
      this.repo.consents([id]),
      this.repo.recordIds(id),
      this.placeNames([row]),
      this.repo.downloadCount(id),
      this.deps.evidence.get(row.evidence_id, null),
    ]);
    const visible = records.length ? await this.deps.visibleRecordIds(actor, records) : new Set<string>();
    const today = this.today();
    const cs = consents.get(id) ?? [];
    const pseudonyms = await this.pseudonyms(cs.map((c) => c.person_id).filter((p): p is string => p !== null));
    return {
      id,
      code: row.code,
      evidenceId: row.evidence_id,
      evidenceCode: ev.code,
      captions: captions.get(id) ?? {},
      credit: row.credit,
      takenOn: row.taken_on,
      place: row.place_id ? { id: row.place_id, name: places.get(row.place_id) ?? '' } : null,
      tags: tags.get(id) ?? [],
      recordIds: records.filter((r) => visible.has(r)),
      usage: row.usage,
      sourceUrl: row.source_url,
      licence: row.licence,
      identifiablePersons: row.identifiable_persons,
      status: row.status,
      statusReason: row.status_reason,
      publishedAt: row.published_at,
      consents: cs.map((c) => consentView(c, today, pseudonyms)),
      gates: CONSENT_SCOPES.map((s) => gate(row, cs, s, today)),
      allowedUses: allowedUses(row, cs, today),
      images: imageSet(ev, (size, format) => `/api/photos/${id}/image/${size}.${format}`),
      downloads,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /** A staff copy of the current (redacted, if any) picture, published or not. */
  async staffImage(id: string, size: Size, format: Format) {
    const row = await this.repo.findById(id);
    if (!row) throw notFound();
    const f = await this.deps.evidence.derivative(row.evidence_id, size, format);
    if (!f) throw problems.notFound('This copy is not made (yet).');
    return f;
  }

  /** Whether the item may be used for `scope` right now (press kits, social media posts ask this). */
  async isUsable(id: string, scope: ConsentScope): Promise<boolean> {
    const row = await this.repo.findById(id);
    if (!row) return false;
    const consents = (await this.repo.consents([id])).get(id) ?? [];
    return allowedUses(row, consents, this.today()).includes(scope);
  }

  /** The row of a photo the public may see now; 410 when it was public once, 404 when never. */
  private async publicRow(id: string): Promise<PhotoRow> {
    const row = await this.repo.findById(id);
    if (!row) throw notFound();
    const consents = (await this.repo.consents([id])).get(id) ?? [];
    if (row.status === 'published' && gate(row, consents, 'publish-image', this.today()).ok) return row;
    throw row.first_published_at ? gone() : notFound();
  }

  async publicList(query: Partial<z.input<typeof PublicPhotoListQuerySchema>> = {}) {
    const f = parseOr422(PublicPhotoListQuerySchema, query);
    const today = this.today();
    const rows = await this.repo.list({ ...f, publicAsOf: today, limit: f.limit + 1 });
    const page = rows.slice(0, f.limit);
    // The SQL already leaves out withdrawn and expired consents; the full gate is checked once more on each item.
    const consents = await this.repo.consents(page.map((r) => r.id));
    const open = page.filter((r) => gate(r, consents.get(r.id) ?? [], 'publish-image', today).ok);
    return {
      items: await this.publicViews(open),
      nextOffset: rows.length > f.limit ? f.offset + f.limit : null,
    };
  }

  async publicGet(id: string): Promise<PublicPhoto> {
    const row = await this.publicRow(id);
    const [view] = await this.publicViews([row]);
    return view!;
  }

  async publicImage(id: string, size: Size, format: Format) {
    const row = await this.publicRow(id);
    const f = await this.deps.evidence.derivative(row.evidence_id, size, format);
    if (!f) throw problems.notFound('This copy is not made (yet).');
    return f;
  }

  /**
   * A journalist's download: the picture in a size, named with its credit, and a caption text file, in a ZIP.
   * Refused (410/404) unless the item passes the gate now; every download is logged and audited.
   */
  async download(
    id: string,
    actor: Actor,
    size: Size,
    format: Format,
  ): Promise<{ filename: string; bytes: Uint8Array; allowedUses: ConsentScope[] }> {
    const row = await this.publicRow(id);
    const image = await this.deps.evidence.derivativeBytes(row.evidence_id, size, format);
    if (!image) throw problems.notFound('This copy is not made (yet).');
    const [captions, places, consents] = await Promise.all([
      this.repo.captions([id]),
      this.placeNames([row]),
      this.repo.consents([id]),
    ]);
    const uses = allowedUses(row, consents.get(id) ?? [], this.today());
    const credit = slug(row.credit);
    const base = `${row.code}_${size}_${credit}`;
    const ext = format === 'jpeg' ? 'jpg' : 'webp';
    const place = row.place_id ? places.get(row.place_id) : undefined;
    const lines = [
      `${row.code}`,
      `Credit: ${row.credit}`,
      ...(row.taken_on ? [`Date taken: ${row.taken_on}`] : []),
      ...(place ? [`Place: ${place}`] : []),
      ...(row.usage === 'open-source' ? [`Source: ${row.source_url ?? ''}`, `Licence: ${row.licence ?? ''}`] : []),
      // As of the download: a consent withdrawn or expired later narrows it, and the item page then says so.
      `Allowed uses on ${this.today()}: ${uses.map((u) => USE_NAMES[u]).join('; ')}`,
      '',
      ...Object.entries(captions.get(id) ?? {}).map(([lang, text]) => `[${lang}] ${text}`),
      '',
    ];
    const bytes = zipSync(
      {
        [`${base}.${ext}`]: [new Uint8Array(image), { level: 0 }],
        [`${row.code}_caption.txt`]: strToU8(lines.join('\n')),
      },
      { mtime: new Date('2000-01-01T00:00:00Z') },
    );
    await this.deps.uow.run(async (tx) => {
      await this.repo.insertDownload(tx, {
        id: newId(),
        photo_id: id,
        actor_id: actor.userId,
        size,
        format,
        at: nowIso(),
      });
      await this.audit(tx, actor.userId, 'photos.download', id, { size, format });
    });
    return { filename: `${row.code}_${size}.zip`, bytes, allowedUses: uses };
  }

  codesOfEvidence(ids: string[]): Promise<Map<string, string>> {
    return this.repo.codesOfEvidence(ids);
  }

  private async publicViews(rows: PhotoRow[]): Promise<PublicPhoto[]> {
    const ids = rows.map((r) => r.id);
    const [captions, tags, places, consents] = await Promise.all([
      this.repo.captions(ids),
      this.repo.tags(ids),
      this.placeNames(rows),
      this.repo.consents(ids),
    ]);
    const today = this.today();
    const out: PublicPhoto[] = [];
    for (const r of rows) {
      const ev = await this.deps.evidence.get(r.evidence_id, null);
      const large = ev.derivatives.find(
        (d) => d.kind === 'large' && d.format === 'jpeg' && !d.url.includes('variant='),
      );
      out.push({
        id: r.id,
        code: r.code,
        captions: captions.get(r.id) ?? {},
        credit: r.credit,
        takenOn: r.taken_on,
        place: r.place_id ? (places.get(r.place_id) ?? null) : null,
        tags: tags.get(r.id) ?? [],
        usage: r.usage === 'open-source' ? 'open-source' : 'own-work',
        sourceUrl: r.usage === 'open-source' ? r.source_url : null,
        licence: r.licence,
        width: large?.width ?? null,
        height: large?.height ?? null,
        images: imageSet(ev, (size, format) => `/api/public/photos/${r.id}/image/${size}.${format}`),
        allowedUses: allowedUses(r, consents.get(r.id) ?? [], today),
        publishedAt: r.published_at,
      });
    }
    return out;
  }

  private async pseudonyms(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length || !this.deps.personPseudonyms) return new Map();
    return this.deps.personPseudonyms(ids);
  }

  private async placeNames(rows: PhotoRow[]): Promise<Map<string, string>> {
    const ids = [...new Set(rows.map((r) => r.place_id).filter((p): p is string => p !== null))];
    const out = new Map<string, string>();
    for (const id of ids) {
      const name = await this.deps.placeName(id);
      if (name) out.set(id, name);
    }
    return out;
  }

  private async checkRefs(actor: Actor, data: { placeId?: string | null | undefined; recordIds: string[] }) {
    const errors: { path: string; message: string }[] = [];
    if (data.placeId && !(await this.deps.placeName(data.placeId)))
      errors.push({ path: 'placeId', message: 'no such place' });
    if (data.recordIds.length) {
      const visible = await this.deps.visibleRecordIds(actor, data.recordIds);
      data.recordIds.forEach((r, i) => {
        if (!visible.has(r)) errors.push({ path: `recordIds.${i}`, message: 'no such record' });
      });
    }
    if (errors.length) throw problems.validation(errors);
  }

  private async audit(tx: Tx, actorId: string | null, action: string, id: string, change: unknown): Promise<void> {
    await this.deps.audit.record(tx, { actorId, action, entityType: 'photo', entityId: id, change });
  }
}

/** Links to the sizes of the current (redacted, if any) variant that exist; a size still being made is null. */
function imageSet(ev: Evidence, url: (size: Size, format: Format) => string): Photo['images'] {
  const current = ev.derivatives.filter((d) => !d.url.includes('variant='));
  const out = {} as Photo['images'];
  for (const size of PHOTO_SIZES)
    out[size] = current.some((d) => d.kind === size && d.format === 'jpeg')
      ? { jpeg: url(size, 'jpeg'), webp: url(size, 'webp') }
      : null;
  return out;
}

function consentView(c: ConsentRow, today: string, pseudonyms: Map<string, string>): Consent {
  const pseudonym = c.person_id ? pseudonyms.get(c.person_id) : undefined;
  return {
    id: c.id,
    subject: c.subject,
    personLabel: c.person_label,
    person: c.person_id && pseudonym !== undefined ? { id: c.person_id, pseudonym } : null,
    scopes: JSON.parse(c.scopes) as Consent['scopes'],
    givenOn: c.given_on,
    expiresOn: c.expires_on,
    withdrawnAt: c.withdrawn_at,
    withdrawnNote: c.withdrawn_note,
    evidencedBy: c.evidenced_by,
    formEvidenceId: c.form_evidence_id,
    verbalNote: c.verbal_note,
    witness: c.witness,
    state: consentState(c, today),
    createdAt: c.created_at,
  };
}

function definedOnly(captions: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(captions).filter((e): e is [string, string] => e[1] !== undefined));
}

/** A credit line as a file name part: letters and digits of any script, the rest as single dashes. */
export function slug(s: string): string {
  return (
    s
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'credit'
  );
}
