import { beforeAll, expect, it } from 'vitest';
import { createAuditModule } from '../audit/index.js';
import { unitOfWork } from '../db/index.js';
import type { Actor } from '../http/access.js';
import { describeEachDb } from '../testing/db.js';
import { InquiriesRepository } from './repository.js';
import { InquiriesService, statusOf, type VisibleRecordIds } from './service.js';
import type { CreateInquiryInput, InquiryStatus } from './schema.js';
import { insertAuthorAndRecords } from '../testing/rows.js';

const TODAY = '2023-03-01';
const actor: Actor = { userId: 'u-doc', role: 'documenter', via: 'session', pendingSecondFactor: false };

describeEachDb('inquiries service', (ctx) => {
  let inquiries: InquiriesService;
  const ids = new Map<string, string>();
  const byName = (name: string) => ids.get(name)!;
  const nameOf = (id: string) => [...ids].find(([, v]) => v === id)?.[0];

  function service(visibleRecordIds: VisibleRecordIds = () => Promise.resolve(new Set())) {
    const { db, dialect } = ctx().handle;
    return new InquiriesService({
      db,
      repo: new InquiriesRepository(db, dialect),
      uow: unitOfWork(db),
      audit: createAuditModule(db, dialect).audit,
      visibleRecordIds,
      // A fixed "today": 1 March 2023 at 23:30 UTC, late in the day on purpose.
      clock: () => new Date(`${TODAY}T23:30:00Z`),
    });
  }

  async function inquiry(name: string, input: Partial<CreateInquiryInput>) {
    const i = await inquiries.create(
      { body: `Ministry ${name}`, subject: `Subject ${name}`, sentOn: '2023-01-10', dueOn: '2023-02-10', ...input },
      null,
    );
    ids.set(name, i.id);
    return i;
  }

  beforeAll(async () => {
    inquiries = service();
    // Overdue: due before today, no answer.
    await inquiry('overdue-late', { dueOn: '2023-02-01' });
    await inquiry('overdue-early', { dueOn: '2023-01-20' });
    // Due today is not overdue yet.
    await inquiry('sent-today', { dueOn: TODAY });
    await inquiry('sent-later', { dueOn: '2023-04-01' });
    await inquiry('sent-soon', { dueOn: '2023-03-02' });
    // Answered, even late and even long past due.
    await inquiry('answered-old', { dueOn: '2023-01-15', respondedOn: '2023-01-14' });
    await inquiry('answered-new', { dueOn: '2023-01-15', respondedOn: '2023-02-20', responseSummary: 'Refused.' });
  });

  it('computes the status from the dates, the same in SQL and in code', async () => {
    const expected: Record<string, InquiryStatus> = {
      'overdue-late': 'overdue',
      'overdue-early': 'overdue',
      'sent-today': 'sent',
      'sent-later': 'sent',
      'sent-soon': 'sent',
      'answered-old': 'answered',
      'answered-new': 'answered',
    };
    const { items } = await inquiries.list({ limit: 100 });
    for (const i of items) {
      expect(i.status, nameOf(i.id)).toBe(expected[nameOf(i.id)!]);
      expect((await inquiries.get(i.id, null)).status, nameOf(i.id)).toBe(i.status);
    }
    expect(statusOf({ respondedOn: null, dueOn: '2023-02-28' }, TODAY)).toBe('overdue');
    expect(statusOf({ respondedOn: null, dueOn: TODAY }, TODAY)).toBe('sent');
    expect(statusOf({ respondedOn: '2023-05-01', dueOn: '2023-02-28' }, TODAY)).toBe('answered');
  });

  it('lists overdue first, then sent by due date, then answered by latest response, and pages alike', async () => {
    const order = [
      'overdue-early',
      'overdue-late',
      'sent-today',
      'sent-soon',
      'sent-later',
      'answered-new',
      'answered-old',
    ];
    expect((await inquiries.list()).items.map((i) => nameOf(i.id))).toEqual(order);
    const pages: string[] = [];
    let offset: number | null = 0;
    while (offset !== null) {
      const page = await inquiries.list({ limit: 2, offset });
      pages.push(...page.items.map((i) => nameOf(i.id)!));
      offset = page.nextOffset;
    }
    expect(pages).toEqual(order);
  });

  it('filters by status, body and sent dates', async () => {
    const names = async (q: Parameters<InquiriesService['list']>[0]) =>
      (await inquiries.list(q)).items.map((i) => nameOf(i.id));
    expect(await names({ status: 'overdue' })).toEqual(['overdue-early', 'overdue-late']);
    expect(await names({ status: 'sent', limit: 1, offset: 1 })).toEqual(['sent-soon']);
    expect(await names({ status: 'answered' })).toEqual(['answered-new', 'answered-old']);
    expect(await names({ body: 'MINISTRY SENT-L' })).toEqual(['sent-later']);
    expect(await names({ body: '%' })).toEqual([]);
    const spring = await inquiry('spring', { sentOn: '2023-04-05', dueOn: '2023-05-05' });
    expect(await names({ from: '2023-04-01' })).toEqual(['spring']);
    expect(await names({ to: '2023-01-31', status: 'overdue' })).toEqual(['overdue-early', 'overdue-late']);
    await inquiries.delete(spring.id, null);
    await expect(inquiries.list({ from: '2023-05-01', to: '2023-04-01' })).rejects.toMatchObject({ status: 422 });
  });

  it('refuses a due date or a response date before the sent date, on create and on update', async () => {
    await expect(inquiry('bad-due', { sentOn: '2023-02-01', dueOn: '2023-01-31' })).rejects.toMatchObject({
      status: 422,
      extra: { errors: [{ path: 'dueOn', message: expect.any(String) }] },
    });
    await expect(inquiry('bad-response', { sentOn: '2023-02-01', respondedOn: '2023-01-31' })).rejects.toMatchObject({
      status: 422,
    });
    await expect(inquiries.update(byName('sent-later'), { sentOn: '2023-04-02' }, actor)).rejects.toMatchObject({
      status: 422,
    });
    await expect(inquiries.update(byName('sent-later'), { respondedOn: '2023-01-01' }, actor)).rejects.toMatchObject({
      status: 422,
    });
    await expect(
      inquiries.create({ body: 'x', subject: 'y', sentOn: '2023-02-30', dueOn: '2023-03-01' }, null),
    ).rejects.toMatchObject({ status: 422 });
    expect((await inquiries.get(byName('sent-later'), null)).respondedOn).toBeNull();
  });

  it('shows only the linked records the actor may see, and 404s a link to a record it cannot see', async () => {
    const { db } = ctx().handle;
    await insertAuthorAndRecords(db, actor.userId, { 'rec-open': 'internal', 'rec-hidden': 'restricted' });
    let seeHidden = true;
    const visible: VisibleRecordIds = (_a, wanted) =>
      Promise.resolve(new Set(wanted.filter((id) => id === 'rec-open' || (seeHidden && id === 'rec-hidden'))));
    const linked = service(visible);
    const id = byName('sent-soon');
    await linked.linkRecord(id, { recordId: 'rec-open' }, actor);
    const both = await linked.linkRecord(id, { recordId: 'rec-hidden' }, actor);
    expect(both.records.map((r) => r.recordId).sort()).toEqual(['rec-hidden', 'rec-open']);
    await expect(linked.linkRecord(id, { recordId: 'rec-open' }, actor)).rejects.toMatchObject({ status: 409 });

    seeHidden = false;
    expect((await linked.get(id, actor)).records.map((r) => r.recordId)).toEqual(['rec-open']);
    await expect(linked.linkRecord(byName('sent-later'), { recordId: 'rec-hidden' }, actor)).rejects.toMatchObject({
      status: 404,
    });
    await expect(linked.unlinkRecord(id, 'rec-hidden', actor)).rejects.toMatchObject({ status: 404 });
    await expect(linked.linkRecord(id, { recordId: 'no-such-record' }, actor)).rejects.toMatchObject({ status: 404 });

    // Linked: the inquiry cannot be deleted until the links go.
    await expect(linked.delete(id, null)).rejects.toMatchObject({ status: 409 });
    await linked.unlinkRecord(id, 'rec-open', actor);
    await expect(linked.unlinkRecord(id, 'rec-open', actor)).rejects.toMatchObject({ status: 404 });
    seeHidden = true;
    await linked.unlinkRecord(id, 'rec-hidden', actor);
    expect((await linked.get(id, actor)).records).toEqual([]);
    const audit = await createAuditModule(ctx().handle.db, ctx().handle.dialect).audit.list({
      entityType: 'inquiry',
      entityId: id,
      limit: 10,
    });
    expect(audit.map((e) => e.action)).toEqual([
      'inquiries.unlink-record',
      'inquiries.unlink-record',
      'inquiries.link-record',
      'inquiries.link-record',
      'inquiries.create',
    ]);
  });
});
