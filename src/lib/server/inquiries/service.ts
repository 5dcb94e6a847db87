import type { z } from '@hono/zod-openapi';
import type { AuditLog } from '../audit/index.js';
import { newId, nowIso } from '../core/ids.js';
import type { Db, Executor, Tx, UnitOfWork } from '../db/index.js';
import type { Actor } from '../http/access.js';
import { parseOr422, problems } from '../http/problem.js';
import type { InquiriesRepository, InquiryRow } from './repository.js';
import {
  AttachmentSchema,
  CreateInquirySchema,
  InquiryQuerySchema,
  LinkInquiryRecordSchema,
  UpdateInquirySchema,
  type CreateInquiryInput,
  type Inquiry,
  type InquiryStatus,
  type InquirySummary,
  type UpdateInquiryInput,
} from './schema.js';

/**
 * Which of the given record ids the actor may see. The records module provides it (`RecordsService.visibleRecordIds`);
 * every record id leaves this module through it, so that a restricted record never shows, not even as a count.
 */
export type VisibleRecordIds = (actor: Actor | null, ids: string[]) => Promise<Set<string>>;

export interface InquiriesServiceDeps {
  db: Db;
  repo: InquiriesRepository;
  uow: UnitOfWork;
  audit: AuditLog;
  visibleRecordIds: VisibleRecordIds;
  /** Today is `clock()`'s UTC date. Injected so that tests fix it. */
  clock?: () => Date;
}

/**
 * The status from the dates: answered once a response date is set; overdue when not and the due date has passed;
 * else sent. "Today" is the UTC date: there is no crisis (and so no crisis time zone) to count in yet. The SQL in
 * the repository computes the same for lists; keep the two in step.
 */
export function statusOf(i: { respondedOn: string | null; dueOn: string }, today: string): InquiryStatus {
  if (i.respondedOn !== null) return 'answered';
  return i.dueOn < today ? 'overdue' : 'sent';
}

const notFound = () => problems.notFound('No such inquiry.');

/** Inquiries to state bodies: what was asked of whom, when an answer is due, and what came back. */
export class InquiriesService {
  constructor(private readonly deps: InquiriesServiceDeps) {}

  private get repo() {
    return this.deps.repo;
  }

  /** Today's UTC date, YYYY-MM-DD. */
  today(): string {
    return (this.deps.clock ?? (() => new Date()))().toISOString().slice(0, 10);
  }

  async list(query: Partial<z.input<typeof InquiryQuerySchema>> = {}): Promise<{
    items: InquirySummary[];
    nextOffset: number | null;
  }> {
    const f = parseOr422(InquiryQuerySchema, query);
    const body = f.body === undefined || f.body.trim() === '' ? undefined : f.body.trim();
    // One more than asked tells whether a next page exists without counting.
    const rows = await this.repo.list({ ...f, body, today: this.today(), limit: f.limit + 1 });
    const items = rows.slice(0, f.limit).map((r) => ({ ...summaryOf(r), status: r.status }));
    return { items, nextOffset: rows.length > f.limit ? f.offset + f.limit : null };
  }

  async get(id: string, actor: Actor | null): Promise<Inquiry> {
    const row = await this.repo.findById(id);
    if (!row) throw notFound();
    const links = await this.repo.recordLinks(id);
    const visible =
      links.length === 0
        ? new Set<string>()
        : await this.deps.visibleRecordIds(
            actor,
            links.map((l) => l.recordId),
          );
    return this.view(
      row,
      links.filter((l) => visible.has(l.recordId)),
    );
  }

  async create(input: CreateInquiryInput, actorId: string | null): Promise<Inquiry> {
    const data = parseOr422(CreateInquirySchema, input);
    const at = nowIso();
    const row: InquiryRow = {
      id: newId(),
      body: data.body,
      subject: data.subject,
      sent_on: data.sentOn,
      due_on: data.dueOn,
      responded_on: data.respondedOn ?? null,
      response_summary: emptyToNull(data.responseSummary),
      reference: data.reference ?? null,
      attachments: JSON.stringify(data.attachments),
      created_by: actorId,
      created_at: at,
      updated_at: at,
    };
    checkDates(row);
    return this.deps.uow.run(async (tx) => {
      await this.repo.insert(tx, row);
      const view = this.view(row, []);
      await this.audit(tx, actorId, 'inquiries.create', row.id, { after: view });
      return view;
    });
  }

  /** Changes what is given; `null` clears an optional field. The dates are checked together, as they end up. */
  async update(id: string, input: UpdateInquiryInput, actor: Actor): Promise<Inquiry> {
    const data = parseOr422(UpdateInquirySchema, input);
    await this.deps.uow.run(async (tx) => {
      const before = await this.repo.findById(id, tx);
      if (!before) throw notFound();
      const after: InquiryRow = {
        ...before,
        body: data.body ?? before.body,
        subject: data.subject ?? before.subject,
        sent_on: data.sentOn ?? before.sent_on,
        due_on: data.dueOn ?? before.due_on,
        responded_on: data.respondedOn === undefined ? before.responded_on : data.respondedOn,
        response_summary:
          data.responseSummary === undefined ? before.response_summary : emptyToNull(data.responseSummary),
        reference: data.reference === undefined ? before.reference : data.reference,
        attachments: data.attachments === undefined ? before.attachments : JSON.stringify(data.attachments),
        updated_at: nowIso(),
      };
      checkDates(after);
      await this.repo.update(tx, after);
      await this.audit(tx, actor.userId, 'inquiries.update', id, {
        before: this.view(before, []),
        after: this.view(after, []),
      });
    });
    return this.get(id, actor);
  }

  /** Deletes an inquiry that no source cites and no record is linked to (409 otherwise). */
  async delete(id: string, actorId: string | null): Promise<void> {
    await this.deps.uow.run(async (tx) => {
      const before = await this.repo.findById(id, tx);
      if (!before) throw notFound();
      if ((await this.repo.countSourcesCiting(id, tx)) > 0)
        throw problems.conflict('A source cites this inquiry: change or delete the source first.');
      if (await this.repo.hasAnyLink(id, tx))
        throw problems.conflict('This inquiry is linked to records: remove the links first.');
      await this.repo.delete(tx, id);
      await this.audit(tx, actorId, 'inquiries.delete', id, { before: this.view(before, []) });
    });
  }

  /**
   * Links a record. A record the actor cannot see answers 404 exactly like one that does not exist; the visibility
   * check runs before the transaction (SQLite has one connection: another module's read inside it would wait forever).
   */
  async linkRecord(id: string, input: { recordId: string }, actor: Actor): Promise<Inquiry> {
    const { recordId } = parseOr422(LinkInquiryRecordSchema, input);
    await this.requireVisible(actor, recordId);
    await this.deps.uow.run(async (tx) => {
      if (!(await this.repo.findById(id, tx))) throw notFound();
      if (await this.repo.findLink(tx, id, recordId))
        throw problems.conflict('This record is already linked to this inquiry.');
      await this.repo.insertLink(tx, { inquiryId: id, recordId, createdBy: actor.userId, createdAt: nowIso() });
      await this.audit(tx, actor.userId, 'inquiries.link-record', id, { link: { recordId } });
    });
    return this.get(id, actor);
  }

  async unlinkRecord(id: string, recordId: string, actor: Actor): Promise<void> {
    await this.requireVisible(actor, recordId);
    await this.deps.uow.run(async (tx) => {
      if (!(await this.repo.findById(id, tx))) throw notFound();
      if ((await this.repo.deleteLink(tx, id, recordId)) === 0)
        throw problems.notFound('This record is not linked to this inquiry.');
      await this.audit(tx, actor.userId, 'inquiries.unlink-record', id, { unlink: { recordId } });
    });
  }

  /** Whether an inquiry exists, for the sources module (a source of type inquiry points at one). */
  async exists(id: string, ex: Executor = this.deps.db): Promise<boolean> {
    return (await this.repo.findById(id, ex)) !== undefined;
  }

  private async requireVisible(actor: Actor, recordId: string): Promise<void> {
    const visible = await this.deps.visibleRecordIds(actor, [recordId]);
    if (!visible.has(recordId)) throw problems.notFound('No such record.');
  }

  private view(row: InquiryRow, links: { recordId: string; createdAt: string }[]): Inquiry {
    return {
      ...summaryOf(row),
      status: statusOf({ respondedOn: row.responded_on, dueOn: row.due_on }, this.today()),
      responseSummary: row.response_summary,
      attachments: AttachmentSchema.array().parse(JSON.parse(row.attachments)),
      records: links,
      createdBy: row.created_by,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  private async audit(tx: Tx, actorId: string | null, action: string, id: string, change: unknown): Promise<void> {
    await this.deps.audit.record(tx, { actorId, action, entityType: 'inquiry', entityId: id, change });
  }
}

const emptyToNull = (s: string | null | undefined) => (s === undefined || s === null || s === '' ? null : s);

function summaryOf(r: InquiryRow): Omit<InquirySummary, 'status'> {
  return {
    id: r.id,
    body: r.body,
    subject: r.subject,
    sentOn: r.sent_on,
    dueOn: r.due_on,
    respondedOn: r.responded_on,
    reference: r.reference,
  };
}

function checkDates(r: InquiryRow): void {
  const errors: { path: string; message: string }[] = [];
  if (r.due_on < r.sent_on) errors.push({ path: 'dueOn', message: 'the due date cannot be before the sent date' });
  if (r.responded_on !== null && r.responded_on < r.sent_on)
    errors.push({ path: 'respondedOn', message: 'the response date cannot be before the sent date' });
  if (errors.length > 0) throw problems.validation(errors);
}
