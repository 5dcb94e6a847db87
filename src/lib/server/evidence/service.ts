import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { AuditLog } from '../audit/index.js';
import { newId, nowIso } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import type { Db, Tx, UnitOfWork } from '../db/index.js';
import { allows, type Actor } from '../http/access.js';
import { Problem, problems } from '../http/problem.js';
import type { JobRunner } from '../jobs/index.js';
import type { BlobStore, StoredBlob } from '../storage/index.js';
import {
  DERIVATIVE_FORMATS,
  DERIVATIVE_SIZES,
  NEAR_DUPLICATE_DISTANCE,
  phashDistance,
  probe,
  readMetadata,
  redact,
  renderDerivatives,
  type DerivativeFormat,
  type DerivativeKind,
  type FileMetadata,
  type Region,
} from './images.js';
import type { DerivativeRow, EvidenceRepository, ItemRow, LinkRow } from './repository.js';
import {
  COLLECTION_METHODS,
  type CustodyEntry,
  type Evidence,
  type EvidenceSummary,
  type IngestResult,
} from './schema.js';
import { checkFileName, sniff } from './sniff.js';

export const DERIVATIVES_JOB = 'evidence.derivatives';

export interface EvidenceLimits {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Largest image accepted, in pixels (width × height): a decompression bomb is refused before it is decoded. */
  maxPixels: number;
}

export const DEFAULT_LIMITS: EvidenceLimits = { maxBytes: 2 * 1024 ** 3, maxPixels: 100_000_000 };

export type VisibleRecordIds = (actor: Actor | null, ids: string[]) => Promise<Set<string>>;

export interface EvidenceServiceDeps {
  db: Db;
  repo: EvidenceRepository;
  uow: UnitOfWork;
  audit: AuditLog;
  blobs: BlobStore;
  jobs: JobRunner;
  logger: Logger;
  limits: EvidenceLimits;
  visibleRecordIds: VisibleRecordIds;
  /** Whether the actor may see this source (the sources module's own rule). */
  sourceVisible: (actor: Actor | null, id: string) => Promise<boolean>;
  /** Photo bank codes of evidence items, for "this looks like P-0012". */
  photoCodesOf?: (evidenceIds: string[]) => Promise<Map<string, string>>;
}

export interface IngestInput {
  body: AsyncIterable<Uint8Array>;
  filename: string;
  title?: string | undefined;
  method?: (typeof COLLECTION_METHODS)[number] | undefined;
  origin?: string | undefined;
  tool?: string | undefined;
}

const notFound = () => problems.notFound('No such evidence file.');
const fileProblem = (status: number, slug: string, message: string) =>
  new Problem(status, slug, message, { errors: [{ path: 'file', message }] });

const MEDIA_OF_FORMAT: Record<DerivativeFormat, string> = { jpeg: 'image/jpeg', webp: 'image/webp' };

/**
 * The evidence vault. An original is written once under its SHA-256 and never changed; every look at it, every copy,
 * link and export is a custody entry and an audit-chain entry, written in the same transaction.
 */
export class EvidenceService {
  constructor(private readonly deps: EvidenceServiceDeps) {}

  private get repo() {
    return this.deps.repo;
  }

  get limits(): EvidenceLimits {
    return this.deps.limits;
  }

  /** Checks a file name before any byte is accepted (tus checks at creation). */
  checkName(filename: string): string {
    const r = checkFileName(filename);
    if (r.ok) return r.extension;
    const messages = {
      empty: 'The file has no name.',
      path: 'The file name contains a path: send the bare name.',
      control: 'The file name contains control characters.',
      extension: 'This kind of file is not accepted (allowed: images, PDF, audio and video).',
      'too-long': 'The file name is longer than 255 characters.',
    } as const;
    throw fileProblem(422, r.problem === 'extension' ? 'unsupported-file' : 'invalid-file-name', messages[r.problem]);
  }

  /**
   * Takes a file into the vault: hashed while streamed to disk, its type checked against its name, its pixels
   * counted, its metadata read. The same bytes already there are linked (another collection), never stored twice.
   * On any refusal nothing stays behind: no row, and no file unless it was already kept.
   */
  async ingest(actor: Actor | null, input: IngestInput): Promise<IngestResult> {
    const extension = this.checkName(input.filename);
    const stored = await this.deps.blobs.put(input.body, { maxBytes: this.limits.maxBytes });
    let committed = false;
    try {
      if (stored.size === 0) throw fileProblem(422, 'empty-file', 'The file is empty.');
      const kind = sniff(await this.deps.blobs.head(stored.sha256, 64));
      if (!kind || !kind.extensions.includes(extension))
        throw fileProblem(
          422,
          'type-mismatch',
          `The file's content is not what its extension (.${extension}) says` +
            (kind ? ` (it looks like ${kind.mediaType}).` : '.'),
        );
      // Only pictures are read here (a video is never fetched back from a bucket just to be looked at).
      const looked =
        kind.image || kind.mediaType === 'image/heic'
          ? await this.deps.blobs.withFile(stored.sha256, async (path) => {
              let dims: { width: number; height: number } | null = null;
              if (kind.image) {
                try {
                  dims = await probe(path);
                } catch {
                  throw fileProblem(422, 'unreadable-image', 'The image cannot be read.');
                }
                if (dims.width * dims.height > this.limits.maxPixels)
                  throw fileProblem(
                    422,
                    'too-many-pixels',
                    `The image is ${dims.width} × ${dims.height} pixels, more than the ${this.limits.maxPixels} allowed.`,
                  );
              }
              return { dims, metadata: await readMetadata(path) };
            })
          : null;
      const dims = looked?.dims ?? null;
      const metadata: FileMetadata = looked?.metadata ?? { camera: null, capturedAt: null, gps: null, software: null };

      const result = await this.deps.uow.run(async (tx) => {
        const collection = {
          collected_by: actor?.userId ?? null,
          collected_at: nowIso(),
          method: input.method ?? 'upload',
          origin: emptyToNull(input.origin),
          tool: emptyToNull(input.tool),
          original_name: input.filename,
        };
        const existing = await this.repo.findBySha(stored.sha256, tx);
        if (existing) {
          await this.repo.insertCollection(tx, { id: newId(), item_id: existing.id, ...collection });
          await this.custody(tx, existing.id, actor, 'collected-again', {
            sha256: stored.sha256,
            ...provenanceOf(collection),
          });
          return { id: existing.id, duplicate: true };
        }
        const at = nowIso();
        const item: ItemRow = {
          id: newId(),
          code: `E-${String(await this.repo.nextCode(tx, 'E')).padStart(4, '0')}`,
          sha256: stored.sha256,
          size: stored.size,
          media_type: kind.mediaType,
          extension,
          title: input.title?.trim() || input.filename,
          width: dims?.width ?? null,
          height: dims?.height ?? null,
          phash: null,
          metadata: JSON.stringify(metadata),
          status: kind.image ? 'processing' : 'ready',
          created_by: actor?.userId ?? null,
          created_at: at,
          updated_at: at,
        };
        await this.repo.insertItem(tx, item);
        await this.repo.insertCollection(tx, { id: newId(), item_id: item.id, ...collection });
        await this.custody(tx, item.id, actor, 'collected', {
          sha256: item.sha256,
          size: item.size,
          mediaType: item.media_type,
          ...provenanceOf(collection),
        });
        if (kind.image)
          await this.deps.jobs.enqueue(
            tx,
            DERIVATIVES_JOB,
            { itemId: item.id, variant: 'original' },
            { dedupeKey: `${DERIVATIVES_JOB}:${item.id}:original`, maxAttempts: 3 },
          );
        return { id: item.id, duplicate: false };
      });
      committed = true;
      this.deps.jobs.kick();
      return { item: await this.get(result.id, actor), duplicate: result.duplicate };
    } finally {
      if (!committed) await this.discard(stored);
    }
  }

  /** Removes a file written for a refused ingest, unless it was there before or something else now refers to it. */
  private async discard(stored: StoredBlob): Promise<void> {
    if (stored.existed) return;
    if (await this.repo.shaInUse(stored.sha256)) return;
    await this.deps.blobs.delete(stored.sha256);
  }

  /** Appends to the file's custody log and to the audit chain, with the same content, in the caller's transaction. */
  private async custody(
    tx: Tx,
    itemId: string,
    actor: Actor | null,
    action: string,
    detail: Record<string, unknown>,
  ): Promise<void> {
    const entry = await this.deps.audit.record(tx, {
      actorId: actor?.userId ?? null,
      action: `evidence.${action}`,
      entityType: 'evidence',
      entityId: itemId,
      change: detail,
    });
    await this.repo.insertCustody(tx, {
      id: newId(),
      item_id: itemId,
      at: entry.at,
      actor_id: entry.actorId,
      action,
      detail: JSON.stringify(detail),
      audit_seq: entry.seq,
    });
  }

  async list(
    actor: Actor | null,
    f: {
      q?: string | undefined;
      type?: 'image' | 'video' | 'audio' | 'document' | undefined;
      record?: string | undefined;
      limit: number;
      offset: number;
    },
  ): Promise<{ items: EvidenceSummary[]; nextOffset: number | null }> {
    if (f.record && !(await this.deps.visibleRecordIds(actor, [f.record])).has(f.record))
      return { items: [], nextOffset: null };
    const rows = await this.repo.list({ ...f, limit: f.limit + 1 });
    const page = rows.slice(0, f.limit);
    const thumbs = new Map(
      (await this.repo.thumbnails(page.map((r) => r.id))).map((d) => [`${d.item_id}:${d.variant}`, d]),
    );
    const current = await Promise.all(page.map((r) => this.currentVariant(r.id)));
    const items = page.map((r, i) => {
      const thumb = thumbs.get(`${r.id}:${current[i]}`);
      return summaryOf(r, thumb ? fileUrl(r.id, 'thumb', 'webp') : null);
    });
    return { items, nextOffset: rows.length > f.limit ? f.offset + f.limit : null };
  }

  async get(id: string, actor: Actor | null): Promise<Evidence> {
    const row = await this.repo.findById(id);
    if (!row) throw notFound();
    const [collections, derivatives, redactions, links, variant] = await Promise.all([
      this.repo.collections(id),
      this.repo.derivatives(id),
      this.repo.redactions(id),
      this.repo.links(id),
      this.currentVariant(id),
    ]);
    const visibleLinks = await this.visibleLinks(actor, links);
    const thumb = derivatives.find((d) => d.variant === variant && d.kind === 'thumb' && d.format === 'webp');
    return {
      ...summaryOf(row, thumb ? fileUrl(id, 'thumb', 'webp') : null),
      collections: collections.map((c) => ({
        collectedBy: c.collected_by,
        collectedAt: c.collected_at,
        method: c.method,
        origin: c.origin,
        tool: c.tool,
        originalName: c.original_name,
      })),
      metadata: actor && allows(actor, 'evidence:metadata') ? (JSON.parse(row.metadata) as FileMetadata) : null,
      derivatives: derivatives.map((d) => ({
        variant: d.variant,
        kind: d.kind,
        format: d.format,
        sha256: d.sha256,
        size: Number(d.size),
        width: d.width,
        height: d.height,
        url: fileUrl(id, d.kind, d.format, d.variant === variant ? undefined : d.variant),
      })),
      redactions: redactions.map((r) => ({
        id: r.id,
        regions: JSON.parse(r.regions) as Region[],
        fill: r.fill,
        sha256: r.sha256,
        createdBy: r.created_by,
        createdAt: r.created_at,
      })),
      links: visibleLinks.map((l) => ({ type: l.target_type, id: l.target_id, createdAt: l.created_at })),
      nearDuplicates: await this.nearDuplicates(row),
    };
  }

  private async visibleLinks(actor: Actor | null, links: LinkRow[]): Promise<LinkRow[]> {
    const recordIds = links.filter((l) => l.target_type === 'record').map((l) => l.target_id);
    const visible = recordIds.length ? await this.deps.visibleRecordIds(actor, recordIds) : new Set<string>();
    const out: LinkRow[] = [];
    for (const l of links) {
      if (l.target_type === 'record' ? visible.has(l.target_id) : await this.deps.sourceVisible(actor, l.target_id))
        out.push(l);
    }
    return out;
  }

  private async nearDuplicates(row: ItemRow): Promise<Evidence['nearDuplicates']> {
    if (!row.phash) return [];
    const near = (await this.repo.phashes(row.id))
      .map((o) => ({ id: o.id, code: o.code, distance: phashDistance(row.phash!, o.phash!) }))
      .filter((o) => o.distance <= NEAR_DUPLICATE_DISTANCE)
      .sort((a, b) => a.distance - b.distance)
      .slice(0, 10);
    const photos =
      near.length && this.deps.photoCodesOf
        ? await this.deps.photoCodesOf(near.map((n) => n.id))
        : new Map<string, string>();
    return near.map((n) => ({ ...n, photoCode: photos.get(n.id) ?? null }));
  }

  async custodyLog(id: string): Promise<CustodyEntry[]> {
    if (!(await this.repo.findById(id))) throw notFound();
    return (await this.repo.custody(id)).map((c) => ({
      at: c.at,
      actorId: c.actor_id,
      action: c.action,
      detail: JSON.parse(c.detail) as unknown,
      auditSeq: Number(c.audit_seq),
    }));
  }

  /** The original bytes, after writing who looked at them (a view in the browser, or a download) to custody. */
  async original(
    id: string,
    actor: Actor,
    how: 'view' | 'download',
  ): Promise<{ body: Readable; mediaType: string; filename: string; size: number; sha256: string }> {
    const row = await this.repo.findById(id);
    if (!row) throw notFound();
    await this.deps.uow.run((tx) =>
      this.custody(tx, id, actor, how === 'view' ? 'viewed-original' : 'downloaded-original', { sha256: row.sha256 }),
    );
    return {
      body: this.deps.blobs.open(row.sha256),
      mediaType: row.media_type,
      filename: `${row.code}.${row.extension}`,
      size: Number(row.size),
      sha256: row.sha256,
    };
  }

  /** The variant public and working copies come from: the latest redaction, else the original. */
  async currentVariant(id: string): Promise<string> {
    const redactions = await this.repo.redactions(id);
    return redactions.at(-1)?.id ?? 'original';
  }

  /**
   * A derivative file of the current variant (or of `variant`). Never falls back to the unredacted original while a
   * redaction's derivatives are still being made: undefined instead.
   */
  async derivative(
    id: string,
    kind: DerivativeKind,
    format: DerivativeFormat,
    variant?: string,
  ): Promise<{ body: Readable; mediaType: string; size: number; sha256: string } | undefined> {
    const v = variant ?? (await this.currentVariant(id));
    const d = (await this.repo.derivatives(id)).find((x) => x.variant === v && x.kind === kind && x.format === format);
    if (!d) return undefined;
    return {
      body: this.deps.blobs.open(d.sha256),
      mediaType: MEDIA_OF_FORMAT[format],
      size: Number(d.size),
      sha256: d.sha256,
    };
  }

  /** Whether a derivative of the current variant exists (without opening it). */
  async hasDerivative(id: string, kind: DerivativeKind, format: DerivativeFormat): Promise<boolean> {
    const v = await this.currentVariant(id);
    return (await this.repo.derivatives(id)).some((x) => x.variant === v && x.kind === kind && x.format === format);
  }

  /** Bytes of a current derivative, for bundles and downloads. */
  async derivativeBytes(id: string, kind: DerivativeKind, format: DerivativeFormat): Promise<Buffer | undefined> {
    const v = await this.currentVariant(id);
    const d = (await this.repo.derivatives(id)).find((x) => x.variant === v && x.kind === kind && x.format === format);
    return d ? this.deps.blobs.read(d.sha256) : undefined;
  }

  /** Makes (or finishes making) the derivatives of one variant. Idempotent: what exists is not made again. */
  async makeDerivatives(payload: { itemId: string; variant: string }, attempt: number, maxAttempts = 3): Promise<void> {
    const row = await this.repo.findById(payload.itemId);
    if (!row) return; // deleted meanwhile: nothing to do
    const have = (await this.repo.derivatives(row.id)).filter((d) => d.variant === payload.variant);
    const wanted = Object.keys(DERIVATIVE_SIZES).length * DERIVATIVE_FORMATS.length;
    if (have.length >= wanted && (payload.variant !== 'original' || row.phash)) {
      if (row.status !== 'ready')
        await this.repo.updateItem(this.deps.db, row.id, { status: 'ready', updated_at: nowIso() });
      return;
    }
    let sourceSha = row.sha256;
    if (payload.variant !== 'original') {
      const r = await this.repo.findRedaction(payload.variant);
      if (!r || r.item_id !== row.id) return;
      sourceSha = r.sha256;
    }
    try {
      const { files, phash } = await this.deps.blobs.withFile(sourceSha, (file) =>
        renderDerivatives(file, { maxPixels: this.limits.maxPixels }),
      );
      const kept: DerivativeRow[] = [];
      for (const f of files) {
        const b = await this.deps.blobs.putBytes(f.bytes);
        kept.push({
          id: newId(),
          item_id: row.id,
          variant: payload.variant,
          kind: f.kind,
          format: f.format,
          sha256: b.sha256,
          size: b.size,
          width: f.width,
          height: f.height,
          created_at: nowIso(),
        });
      }
      await this.deps.uow.run(async (tx) => {
        const made: DerivativeRow[] = [];
        for (const d of kept) if (await this.repo.insertDerivative(tx, d)) made.push(d);
        if (made.length > 0)
          await this.custody(tx, row.id, null, 'derivative-made', {
            from: payload.variant === 'original' ? row.sha256 : sourceSha,
            variant: payload.variant,
            files: made.map((d) => ({ kind: d.kind, format: d.format, sha256: d.sha256, size: Number(d.size) })),
          });
        await this.repo.updateItem(tx, row.id, {
          status: 'ready',
          updated_at: nowIso(),
          ...(payload.variant === 'original' ? { phash } : {}),
        });
      });
    } catch (err) {
      if (attempt >= maxAttempts)
        await this.repo.updateItem(this.deps.db, row.id, { status: 'failed', updated_at: nowIso() });
      throw err;
    }
  }

  /**
   * A redacted copy: rectangles (solid or coarse mosaic) over the latest redacted copy, or over the original when
   * there is none yet, kept as a new file; the public derivatives are then made from it, and never again from the
   * original. Each redaction builds on the one before, so covering a second face never uncovers the first; the
   * custody entry names the file it was made from.
   */
  async redact(id: string, actor: Actor, input: { regions: Region[]; fill: 'solid' | 'mosaic' }): Promise<Evidence> {
    const row = await this.repo.findById(id);
    if (!row) throw notFound();
    if (!row.width || !row.height || !row.media_type.startsWith('image/'))
      throw problems.validation([{ path: 'regions', message: 'Only images can be redacted.' }]);
    const errors = input.regions.flatMap((r, i) =>
      r.x + r.width > row.width! + 0.5 || r.y + r.height > row.height! + 0.5
        ? [{ path: `regions.${i}`, message: `The rectangle goes outside the image (${row.width} × ${row.height}).` }]
        : [],
    );
    if (errors.length) throw problems.validation(errors);
    const previous = (await this.repo.redactions(id)).at(-1);
    const from = previous?.sha256 ?? row.sha256;
    const out = await this.deps.blobs.withFile(from, (file) =>
      redact(file, input.regions, input.fill, this.limits.maxPixels),
    );
    const blob = await this.deps.blobs.putBytes(out.bytes);
    const redactionId = newId();
    await this.deps.uow.run(async (tx) => {
      await this.repo.insertRedaction(tx, {
        id: redactionId,
        item_id: id,
        regions: JSON.stringify(input.regions),
        fill: input.fill,
        sha256: blob.sha256,
        created_by: actor.userId,
        created_at: nowIso(),
      });
      await this.repo.updateItem(tx, id, { status: 'processing', updated_at: nowIso() });
      await this.custody(tx, id, actor, 'redacted', {
        from,
        fromRedaction: previous?.id ?? null,
        redaction: redactionId,
        sha256: blob.sha256,
        fill: input.fill,
        regions: input.regions,
      });
      await this.deps.jobs.enqueue(
        tx,
        DERIVATIVES_JOB,
        { itemId: id, variant: redactionId },
        { dedupeKey: `${DERIVATIVES_JOB}:${id}:${redactionId}`, maxAttempts: 3 },
      );
    });
    this.deps.jobs.kick();
    return this.get(id, actor);
  }

  /** Links the file to a record or a source the actor can see (404 for one they cannot, as if it did not exist). */
  async link(id: string, actor: Actor, target: { type: 'record' | 'source'; id: string }): Promise<Evidence> {
    await this.requireTarget(actor, target);
    await this.deps.uow.run(async (tx) => {
      if (!(await this.repo.findById(id, tx))) throw notFound();
      const added = await this.repo.insertLink(tx, {
        item_id: id,
        target_type: target.type,
        target_id: target.id,
        created_by: actor.userId,
        created_at: nowIso(),
      });
      if (!added) throw problems.conflict(`This file is already linked to that ${target.type}.`);
      await this.custody(tx, id, actor, 'linked', { type: target.type, id: target.id });
    });
    return this.get(id, actor);
  }

  async unlink(id: string, actor: Actor, target: { type: 'record' | 'source'; id: string }): Promise<void> {
    await this.requireTarget(actor, target);
    await this.deps.uow.run(async (tx) => {
      if (!(await this.repo.findById(id, tx))) throw notFound();
      if ((await this.repo.deleteLink(tx, id, target.type, target.id)) === 0)
        throw problems.notFound(`This file is not linked to that ${target.type}.`);
      await this.custody(tx, id, actor, 'unlinked', { type: target.type, id: target.id });
    });
  }

  private async requireTarget(actor: Actor, target: { type: 'record' | 'source'; id: string }) {
    const ok =
      target.type === 'record'
        ? (await this.deps.visibleRecordIds(actor, [target.id])).has(target.id)
        : await this.deps.sourceVisible(actor, target.id);
    if (!ok) throw problems.notFound(`No such ${target.type}.`);
  }

  /** Items linked to a record, oldest link first (export bundles). */
  itemIdsOfRecord(recordId: string): Promise<string[]> {
    return this.repo.itemIdsLinkedTo('record', recordId);
  }

  findByCode(code: string) {
    return this.repo.findByCode(code);
  }

  /** For export bundles: the rows, read with no custody entry (the export writes its own). */
  async exportView(id: string) {
    const row = await this.repo.findById(id);
    if (!row) throw notFound();
    return { row, collections: await this.repo.collections(id) };
  }

  /** Records that an export took the file (before the bundle is written, so the bundle carries the entry). */
  async recordExport(ids: string[], actor: Actor | null, detail: { recordId: string; bundleId: string }) {
    await this.deps.uow.run(async (tx) => {
      for (const id of ids) {
        const row = await this.repo.findById(id, tx);
        if (!row) throw notFound();
        await this.custody(tx, id, actor, 'exported', { sha256: row.sha256, ...detail });
      }
    });
  }

  /** Every file the vault keeps on disk (originals, derivatives, redactions), by SHA-256. */
  storedFiles(): Promise<string[]> {
    return this.deps.blobs.list();
  }

  openOriginal(sha256: string): Readable {
    return this.deps.blobs.open(sha256);
  }

  /** Reads a file from disk for ingest (tus uploads, CLI imports). */
  static fileSource(path: string): AsyncIterable<Uint8Array> {
    return createReadStream(path, { highWaterMark: 1024 * 1024 });
  }
}

const emptyToNull = (s: string | null | undefined) =>
  s === undefined || s === null || s.trim() === '' ? null : s.trim();

function provenanceOf(c: {
  collected_at: string;
  method: string;
  origin: string | null;
  tool: string | null;
  original_name: string;
}) {
  return {
    collectedAt: c.collected_at,
    method: c.method,
    origin: c.origin,
    tool: c.tool,
    originalName: c.original_name,
  };
}

export function fileUrl(id: string, kind: string, format: string, variant?: string): string {
  return `/api/evidence/${id}/files/${kind}.${format}${variant ? `?variant=${encodeURIComponent(variant)}` : ''}`;
}

function summaryOf(r: ItemRow, thumbnail: string | null): EvidenceSummary {
  return {
    id: r.id,
    code: r.code,
    title: r.title,
    sha256: r.sha256,
    size: Number(r.size),
    mediaType: r.media_type,
    width: r.width,
    height: r.height,
    status: r.status,
    thumbnail,
    createdAt: r.created_at,
  };
}
