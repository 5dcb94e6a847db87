import type { z } from '@hono/zod-openapi';
import type { AuditLog } from '../audit/index.js';
import { canonicalJson, sha256Hex } from '../core/canonical.js';
import { newId, nowIso } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import type { Db, Tx, UnitOfWork } from '../db/index.js';
import type { Actor } from '../http/access.js';
import { parseOr422, Problem, problems } from '../http/problem.js';
import { formatNumber, renderShareCard, type ShareCard } from '../render/index.js';
import type { BlobStore } from '../storage/index.js';
import { buildEdition, localiser, serviceLabel, type BuildDeps, type EditionContributor } from './build.js';
import { editionPdf } from './pdf.js';
import type { EditionRow, ReportRow, ReportsRepository } from './repository.js';
import {
  BuildEditionSchema,
  CardQuerySchema,
  LiveCardQuerySchema,
  CreateReportSchema,
  EditionContentSchema,
  PublicEditionQuerySchema,
  ReportTitlesSchema,
  UpdateReportSchema,
  type BuildEditionInput,
  type CardQuery,
  type CreateReportInput,
  type Edition,
  type EditionContent,
  type EditionLang,
  type EditionStatus,
  type EditionSummary,
  type LocalText,
  type Report,
  type ReportTitles,
  type UpdateReportInput,
} from './schema.js';
import { word, wordsFor, type WordKey } from './wording.js';

export interface ReportsServiceDeps extends Omit<BuildDeps, 'contributors'> {
  db: Db;
  repo: ReportsRepository;
  uow: UnitOfWork;
  audit: AuditLog;
  /** The module's own content-addressed store: edition content (JSON) and PDFs. */
  blobs: BlobStore;
  logger: Logger;
}

const noReport = () => problems.notFound('No such report.');
/** A build reports progress at least once per right: a minute without any means it is no longer running. */
const STALLED_AFTER_MS = 60_000;
const noEdition = () => problems.notFound('No such edition.');

/** Progress: what the build is doing, as the page and the CLI name it (`rep_stage_<stage>`). */
export type BuildStage = 'queued' | 'counters' | 'rights' | 'figures' | 'pdf' | 'done';
export type ProgressListener = (percent: number, stage: BuildStage) => void;

/**
 * Reports and their editions. An edition is built from the data (`build.ts`) in the background, its progress kept
 * on its row; the result, content JSON and PDF, is kept in the blob store under its SHA-256, and the row names the
 * hashes. A draft is published as it is: publishing moves the row, it rebuilds nothing, so the published figures
 * are exactly those previewed and can never change afterwards.
 */
export class ReportsService {
  private readonly running = new Map<string, Promise<void>>();
  private readonly contributors: EditionContributor[] = [];

  constructor(private readonly deps: ReportsServiceDeps) {}

  private get repo() {
    return this.deps.repo;
  }

  /** The extension point for human stories and pictures: their modules register here (`platform.ts`). */
  registerContributor(c: EditionContributor): void {
    if (this.contributors.some((x) => x.id === c.id)) throw new Error(`contributor ${c.id} is already registered`);
    this.contributors.push(c);
  }

  // Reports.

  async list(): Promise<Report[]> {
    const rows = await this.repo.listReports();
    const editions = await this.settle(await this.repo.editions(rows.map((r) => r.id)));
    return rows.map((r) =>
      reportView(
        r,
        editions.filter((e) => e.report_id === r.id),
      ),
    );
  }

  async get(id: string): Promise<Report> {
    const row = await this.repo.findReport(id);
    if (!row) throw noReport();
    return reportView(row, await this.settle(await this.repo.editions([id])));
  }

  async create(input: CreateReportInput, actor: Actor | null): Promise<Report> {
    const data = parseOr422(CreateReportSchema, input);
    const at = nowIso();
    const row: ReportRow = {
      id: newId(),
      titles: JSON.stringify(data.titles),
      selection: JSON.stringify([...new Set(data.selection)]),
      records_per_right: data.recordsPerRight,
      created_by: actor?.userId ?? null,
      created_at: at,
      updated_at: at,
    };
    return this.deps.uow.run(async (tx) => {
      await this.repo.insertReport(tx, row);
      const view = reportView(row, []);
      await this.audit(tx, actor, 'reports.create', 'report', row.id, { after: { ...view, editions: undefined } });
      return view;
    });
  }

  async update(id: string, input: UpdateReportInput, actor: Actor): Promise<Report> {
    const data = parseOr422(UpdateReportSchema, input);
    await this.deps.uow.run(async (tx) => {
      const before = await this.repo.findReport(id, tx);
      if (!before) throw noReport();
      const after: ReportRow = {
        ...before,
        titles: data.titles ? JSON.stringify(data.titles) : before.titles,
        selection: data.selection ? JSON.stringify([...new Set(data.selection)]) : before.selection,
        records_per_right: data.recordsPerRight ?? before.records_per_right,
        updated_at: nowIso(),
      };
      await this.repo.updateReport(tx, after);
      await this.audit(tx, actor, 'reports.update', 'report', id, {
        before: { ...reportView(before, []), editions: undefined },
        after: { ...reportView(after, []), editions: undefined },
      });
    });
    return this.get(id);
  }

  /** Deletes a report that has never published an edition (409 otherwise: published editions stay available). */
  async delete(id: string, actor: Actor): Promise<void> {
    const editions = await this.settle(await this.repo.editions([id]));
    if (editions.some((e) => e.status === 'published'))
      throw problems.conflict('This report has published editions, which stay available: it cannot be deleted.');
    if (editions.some((e) => e.status === 'building'))
      throw problems.conflict('An edition of this report is being built: wait for it to end.');
    await this.deps.uow.run(async (tx) => {
      const before = await this.repo.findReport(id, tx);
      if (!before) throw noReport();
      await this.repo.deleteReport(tx, id);
      await this.audit(tx, actor, 'reports.delete', 'report', id, { before: { ...reportView(before, []), editions } });
    });
    for (const e of editions) await this.dropBlobs(e);
  }

  // Editions.

  /**
   * Starts building a draft edition as of a date in a language, in the background; answers at once with the
   * edition in status `building`. `wait` (the CLI) builds before answering, reporting progress to `onProgress`.
   */
  async build(
    reportId: string,
    input: BuildEditionInput,
    actor: Actor | null,
    opts: { wait?: boolean; onProgress?: ProgressListener } = {},
  ): Promise<Edition> {
    const data = parseOr422(BuildEditionSchema, input);
    const report = await this.repo.findReport(reportId);
    if (!report) throw noReport();
    if (this.deps.crisis) {
      const crisis = await this.deps.crisis.crisis();
      if (crisis && data.asOf < crisis.startDate)
        throw problems.validation(
          [{ path: 'asOf', message: `must not be before the crisis began (${crisis.startDate})` }],
          'An edition cannot be dated before the crisis began.',
        );
    }
    const at = nowIso();
    const row: EditionRow = {
      id: newId(),
      report_id: reportId,
      lang: data.lang,
      as_of: data.asOf,
      status: 'building',
      progress: 0,
      stage: 'queued',
      failure: null,
      content_sha256: null,
      pdf_sha256: null,
      pdf_size: null,
      pages: null,
      built_by: actor?.userId ?? null,
      created_at: at,
      updated_at: at,
      built_at: null,
      published_at: null,
      published_by: null,
    };
    await this.deps.uow.run(async (tx) => {
      await this.repo.insertEdition(tx, row);
      await this.audit(tx, actor, 'reports.edition.build', 'report_edition', row.id, {
        reportId,
        asOf: row.as_of,
        lang: row.lang,
      });
    });
    const task = this.run(row, report, actor, opts.onProgress)
      .catch((err: unknown) => this.deps.logger.error({ err, edition: row.id }, 'edition build failed'))
      .finally(() => this.running.delete(row.id));
    this.running.set(row.id, task);
    if (opts.wait) await task;
    return this.edition(row.id, 'staff');
  }

  /** Resolves when the edition's background build (if any) has ended: for the CLI and tests. */
  async finished(editionId: string): Promise<void> {
    await this.running.get(editionId);
  }

  /**
   * One edition. `staff` sees any status; `public` only published ones (404 for the rest, as if they did not exist).
   */
  async edition(id: string, as: 'staff' | 'public'): Promise<Edition> {
    const found = await this.repo.findEdition(id);
    if (!found || (as === 'public' && found.status !== 'published')) throw noEdition();
    const [row] = await this.settle([found]);
    const report = await this.repo.findReport(found.report_id);
    if (!row || !report) throw noEdition();
    const siblings = await this.repo.editions([row.report_id]);
    const content = row.content_sha256 ? await this.content(row.content_sha256) : null;
    return {
      ...summaryOf(row, siblings),
      reportTitle: localTitle(titlesOf(report), row.lang as EditionLang),
      content,
    };
  }

  /** Published editions, newest first: the public list. */
  async published(query: Partial<z.input<typeof PublicEditionQuerySchema>> = {}) {
    const f = parseOr422(PublicEditionQuerySchema, query);
    const rows = await this.repo.published(f);
    const reports = new Map((await this.repo.listReports()).map((r) => [r.id, r]));
    const siblings = await this.repo.editions([...new Set(rows.map((r) => r.report_id))]);
    return {
      items: rows.flatMap((r) => {
        const report = reports.get(r.report_id);
        if (!report) return [];
        return [
          {
            ...summaryOf(
              r,
              siblings.filter((s) => s.report_id === r.report_id),
            ),
            reportTitle: localTitle(titlesOf(report), r.lang as EditionLang),
          },
        ];
      }),
    };
  }

  /** Publishes a draft as it is: its content and PDF, already kept under their hashes, are frozen from now on. */
  async publish(id: string, actor: Actor): Promise<Edition> {
    await this.deps.uow.run(async (tx) => {
      const row = await this.repo.findEdition(id, tx);
      if (!row) throw noEdition();
      if (row.status !== 'draft')
        throw new Problem(409, 'not-draft', `This edition is ${row.status}: only a built draft can be published.`);
      const at = nowIso();
      const moved = await this.repo.moveEdition(tx, id, 'draft', {
        status: 'published',
        published_at: at,
        published_by: actor.userId,
        updated_at: at,
      });
      if (!moved) throw new Problem(409, 'not-draft', 'This edition was published or deleted meanwhile.');
      await this.audit(tx, actor, 'reports.edition.publish', 'report_edition', id, {
        reportId: row.report_id,
        asOf: row.as_of,
        lang: row.lang,
        contentSha256: row.content_sha256,
        pdfSha256: row.pdf_sha256,
      });
    });
    return this.edition(id, 'staff');
  }

  /** Deletes a draft or a failed build; a published edition is never deleted (409). */
  async deleteEdition(id: string, actor: Actor): Promise<void> {
    const row = await this.deps.uow.run(async (tx) => {
      const r = await this.repo.findEdition(id, tx);
      if (!r) throw noEdition();
      if (r.status === 'published')
        throw problems.conflict('A published edition stays available for good: it cannot be deleted.');
      if (r.status === 'building') throw problems.conflict('This edition is being built: wait for it to end.');
      await this.repo.deleteEdition(tx, id);
      await this.audit(tx, actor, 'reports.edition.delete', 'report_edition', id, {
        reportId: r.report_id,
        asOf: r.as_of,
        lang: r.lang,
        status: r.status,
      });
      return r;
    });
    await this.dropBlobs(row);
  }

  /** The edition's PDF bytes, with its hash. */
  async pdf(id: string, as: 'staff' | 'public'): Promise<{ body: Buffer; sha256: string; filename: string }> {
    const row = await this.repo.findEdition(id);
    if (!row || (as === 'public' && row.status !== 'published') || !row.pdf_sha256) throw noEdition();
    return {
      body: await this.read(row.pdf_sha256),
      sha256: row.pdf_sha256,
      filename: `edition-${row.as_of}-${row.lang}.pdf`,
    };
  }

  /** A share card of one of the edition's figures, from its frozen content (so a published card never changes). */
  async card(id: string, query: Partial<z.input<typeof CardQuerySchema>>, as: 'staff' | 'public'): Promise<ShareCard> {
    const q = parseOr422(CardQuerySchema, query);
    const edition = await this.edition(id, as);
    if (!edition.content) throw noEdition();
    return renderShareCard(cardInput(edition.content, q));
  }

  /**
   * A share card of a figure as it is today (the crisis counters now, in the crisis zone), for communicators to
   * download from the dashboard: the live counterpart of an edition's frozen card.
   */
  async liveCard(query: Partial<z.input<typeof LiveCardQuerySchema>>): Promise<ShareCard> {
    const q = parseOr422(LiveCardQuerySchema, query);
    const crisis = this.deps.crisis ? await this.deps.crisis.crisis() : null;
    if (!this.deps.crisis || !crisis) throw problems.notFound('No crisis is set up yet.');
    const asOf = new Intl.DateTimeFormat('en-CA', { timeZone: crisis.timeZone }).format(new Date());
    if (asOf < crisis.startDate) throw problems.notFound('The crisis has not begun.');
    const lang = q.lang;
    const w = wordsFor(lang);
    const local = localiser(lang);
    const date = new Intl.DateTimeFormat(lang, {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${asOf}T00:00:00Z`));
    const base = { lang, eyebrow: local(crisis.name).text, footer: w('rep_card_footer', { date }), format: q.format };
    const missing = () => problems.notFound('There is no such figure today.');
    if (q.kind === 'figure') {
      const f = (await this.deps.crisis.keyFigures(asOf)).find((x) => q.item === undefined || x.id === q.item);
      if (!f) throw missing();
      const label = local(f.label).text;
      return renderShareCard({
        ...base,
        kind: 'figure',
        figure: formatNumber(f.value, lang),
        label: f.unit ? `${local(f.unit).text} · ${label}` : label,
      });
    }
    const counters = await this.deps.crisis.counters(asOf);
    switch (q.kind) {
      case 'day':
        return renderShareCard({
          ...base,
          kind: 'day',
          figure: formatNumber(counters.day, lang),
          label: w('rep_card_day'),
        });
      case 'disruption': {
        const d = counters.disruptions.find((x) => q.item === undefined || x.service === q.item);
        if (!d) throw missing();
        const name = d.service === 'custom' && d.label ? d.label : serviceLabel(w, d.service);
        const service = lang === 'hy' ? name : name.toLocaleLowerCase(lang);
        return renderShareCard({
          ...base,
          kind: 'disruption',
          figure: formatNumber(d.anyDays, lang),
          label: w('rep_card_disruption', { service }),
        });
      }
      case 'indicator': {
        const i = counters.indicators.find((x) => q.item === undefined || x.id === q.item);
        if (!i) throw missing();
        const name = local(i.name).text;
        const ratio = i.observed && i.observed > 0 ? i.expected / i.observed : null;
        return renderShareCard({
          ...base,
          kind: 'indicator',
          figure:
            ratio === null ? '—' : `×${formatNumber(ratio >= 10 ? Number(ratio.toPrecision(2)) : ratio, lang, 1)}`,
          label:
            ratio === null ? `${name}: ${w('rep_ed_none_observed')}` : w('rep_card_indicator', { indicator: name }),
        });
      }
    }
  }

  // Internals.

  /**
   * A build that this process is not running and that has not moved for a while was cut short (the server
   * restarted): it is marked failed, so that its page stops waiting and it can be deleted and built again.
   */
  private async settle(rows: EditionRow[]): Promise<EditionRow[]> {
    const stale = new Date(Date.now() - STALLED_AFTER_MS).toISOString();
    const out: EditionRow[] = [];
    for (const r of rows) {
      if (r.status !== 'building' || this.running.has(r.id) || r.updated_at > stale) {
        out.push(r);
        continue;
      }
      const patch = {
        status: 'failed',
        failure: 'The build was interrupted (the server stopped).',
        updated_at: nowIso(),
      };
      await this.repo.updateEdition(this.deps.db, r.id, patch);
      out.push({ ...r, ...patch });
    }
    return out;
  }

  private async run(row: EditionRow, report: ReportRow, actor: Actor | null, listener?: ProgressListener) {
    let last = -1;
    const progress = async (percent: number, stage: BuildStage) => {
      listener?.(percent, stage);
      if (percent === last) return;
      last = percent;
      await this.repo.updateEdition(this.deps.db, row.id, { progress: percent, stage, updated_at: nowIso() });
    };
    try {
      const content = await buildEdition(
        { ...this.deps, contributors: this.contributors },
        {
          reportId: report.id,
          titles: titlesOf(report),
          selection: JSON.parse(report.selection) as string[],
          recordsPerRight: report.records_per_right,
          lang: row.lang as EditionLang,
          asOf: row.as_of,
        },
        (percent, key) => progress(percent, key.replace('rep_stage_', '') as BuildStage),
      );
      const json = canonicalJson(content);
      const contentSha256 = sha256Hex(json);
      await progress(80, 'pdf');
      const pdf = editionPdf(content, contentSha256);
      await progress(95, 'pdf');
      const storedContent = await this.deps.blobs.put(bytes(Buffer.from(json)), { maxBytes: Number.MAX_SAFE_INTEGER });
      const storedPdf = await this.deps.blobs.put(bytes(pdf), { maxBytes: Number.MAX_SAFE_INTEGER });
      const pages = countPages(pdf);
      await this.deps.uow.run(async (tx) => {
        const at = nowIso();
        await this.repo.updateEdition(tx, row.id, {
          status: 'draft',
          progress: 100,
          stage: 'done',
          content_sha256: storedContent.sha256,
          pdf_sha256: storedPdf.sha256,
          pdf_size: storedPdf.size,
          pages,
          built_at: at,
          updated_at: at,
        });
        await this.audit(tx, actor, 'reports.edition.built', 'report_edition', row.id, {
          contentSha256: storedContent.sha256,
          pdfSha256: storedPdf.sha256,
          pages,
        });
      });
      listener?.(100, 'done');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await this.repo.updateEdition(this.deps.db, row.id, {
        status: 'failed',
        failure: message.slice(0, 2000),
        updated_at: nowIso(),
      });
      throw err;
    }
  }

  private async content(sha256: string): Promise<EditionContent> {
    return EditionContentSchema.parse(JSON.parse((await this.read(sha256)).toString('utf8')));
  }

  private async read(sha256: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.deps.blobs.open(sha256)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** Content-addressed: a blob another edition still names (the same content built twice) is kept. */
  private async dropBlobs(row: EditionRow): Promise<void> {
    for (const sha of [row.content_sha256, row.pdf_sha256])
      if (sha && !(await this.repo.blobInUse(sha, row.id))) await this.deps.blobs.delete(sha);
  }

  private async audit(
    tx: Tx,
    actor: Actor | null,
    action: string,
    entityType: string,
    entityId: string,
    change: unknown,
  ): Promise<void> {
    await this.deps.audit.record(tx, { actorId: actor?.userId ?? null, action, entityType, entityId, change });
  }
}

/** Bytes in memory as the stream the blob store reads. */
async function* bytes(b: Uint8Array): AsyncGenerator<Uint8Array> {
  yield b;
}

function titlesOf(r: ReportRow): ReportTitles {
  return ReportTitlesSchema.parse(JSON.parse(r.titles));
}

function localTitle(titles: ReportTitles, lang: EditionLang): LocalText {
  const own = titles[lang];
  if (own !== undefined) return { text: own, lang, fallback: false };
  const other = (['en', 'fr', 'hy', 'ru'] as const).find((l) => titles[l] !== undefined) ?? lang;
  return { text: titles[other] ?? '', lang: other, fallback: true };
}

/**
 * The newest published edition of the same report and language supersedes the older ones (by as-of date, then by
 * publication); a draft or a failed build supersedes nothing.
 */
function supersededBy(row: EditionRow, siblings: EditionRow[]): string | null {
  if (row.status !== 'published') return null;
  const later = siblings
    .filter((s) => s.status === 'published' && s.lang === row.lang && s.id !== row.id)
    .filter((s) => s.as_of > row.as_of || (s.as_of === row.as_of && (s.published_at ?? '') > (row.published_at ?? '')))
    .sort((a, b) => b.as_of.localeCompare(a.as_of) || (b.published_at ?? '').localeCompare(a.published_at ?? ''));
  return later[0]?.id ?? null;
}

function summaryOf(r: EditionRow, siblings: EditionRow[]): EditionSummary {
  return {
    id: r.id,
    reportId: r.report_id,
    lang: r.lang as EditionLang,
    asOf: r.as_of,
    status: r.status as EditionStatus,
    progress: r.progress,
    stage: r.stage,
    failure: r.failure,
    contentSha256: r.content_sha256,
    pdfSha256: r.pdf_sha256,
    pdfSize: r.pdf_size,
    pages: r.pages,
    builtAt: r.built_at,
    publishedAt: r.published_at,
    supersededBy: supersededBy(r, siblings),
    createdAt: r.created_at,
  };
}

function reportView(r: ReportRow, editions: EditionRow[]): Report {
  return {
    id: r.id,
    titles: titlesOf(r),
    selection: JSON.parse(r.selection) as string[],
    recordsPerRight: r.records_per_right,
    editions: editions.map((e) => summaryOf(e, editions)),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Pages of a PDF from its page tree (`/Type /Pages … /Count N`), without a PDF library. */
function countPages(pdf: Buffer): number | null {
  const text = pdf.toString('latin1');
  const counts = [
    ...text.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g),
  ].map((m) => Number(m[1] ?? m[2]));
  return counts.length > 0 ? Math.max(...counts) : null;
}

/** The card for one figure of an edition; 404 when the edition has no such figure. */
export function cardInput(content: EditionContent, q: CardQuery) {
  const lang = content.lang;
  const w = (key: WordKey, params?: Record<string, string | number>) => word(lang, key, params);
  const date = new Intl.DateTimeFormat(lang, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${content.asOf}T00:00:00Z`));
  const base = {
    lang,
    eyebrow: content.crisis?.name.text ?? content.title.text,
    footer: w('rep_card_footer', { date }),
    format: q.format,
  };
  const k = content.keyNumbers;
  const missing = () => problems.notFound('This edition has no such figure.');
  switch (q.kind) {
    case 'day':
      if (!k.day) throw missing();
      return { ...base, kind: 'day' as const, figure: formatNumber(k.day.value, lang), label: w('rep_card_day') };
    case 'disruption': {
      const d = k.disruptions.find((x) => q.item === undefined || x.service === q.item);
      if (!d) throw missing();
      const service = lang === 'hy' ? d.label : d.label.toLocaleLowerCase(lang);
      return {
        ...base,
        kind: 'disruption' as const,
        figure: formatNumber(d.anyDays.value, lang),
        label: w('rep_card_disruption', { service }),
      };
    }
    case 'indicator': {
      const i = k.indicators.find((x) => q.item === undefined || x.id === q.item);
      if (!i) throw missing();
      const ratio = i.observed && i.observed.value > 0 ? i.expected.value / i.observed.value : null;
      return {
        ...base,
        kind: 'indicator' as const,
        figure: ratio === null ? '—' : `×${formatNumber(ratio >= 10 ? Number(ratio.toPrecision(2)) : ratio, lang, 1)}`,
        label:
          ratio === null
            ? `${i.name.text}: ${w('rep_ed_none_observed')}`
            : w('rep_card_indicator', { indicator: i.name.text }),
      };
    }
    case 'figure': {
      const f = k.keyFigures.find((x) => q.item === undefined || x.id === q.item);
      if (!f) throw missing();
      return {
        ...base,
        kind: 'figure' as const,
        figure: formatNumber(f.value.value, lang),
        label: f.unit ? `${f.unit.text} · ${f.label.text}` : f.label.text,
      };
    }
  }
}
