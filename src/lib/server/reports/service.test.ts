import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { Actor } from '../http/access.js';
import type { RecordView } from '../records/index.js';
import { describeEachApi } from '../testing/api.js';
import { createFactory, type UserFixture } from '../testing/factories.js';
import type { Edition } from './schema.js';

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'reports-test-'));
  try {
    writeFileSync(path.join(dir, 'e.pdf'), pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'e.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const actorOf = (u: UserFixture): Actor => ({ userId: u.id, role: u.role, via: 'session', pendingSecondFactor: false });

/** An injection attempt in a record title: Typst markup, a closing bracket, emphasis. */
const HOSTILE = '#import "x.typ": * ] *gras* _it_ $x$ <l> @r';

describeEachApi('reports: editions', (api) => {
  let documenter: UserFixture;
  let reviewer: UserFixture;
  const ids: Record<string, string> = {};
  let published: RecordView;

  /** Public records are what editions show; the register's default is internal. */
  const open = { confidentiality: 'public' as const };

  async function publish(r: RecordView): Promise<RecordView> {
    const p = api().platform.records;
    await p.transition(r.id, { to: 'in-review' }, actorOf(documenter));
    await p.transition(r.id, { to: 'approved' }, actorOf(reviewer));
    return p.transition(r.id, { to: 'published' }, actorOf(reviewer));
  }

  beforeAll(async () => {
    const f = createFactory(api());
    const p = api().platform;
    documenter = await f.user('dora', { role: 'documenter' });
    reviewer = await f.user('rita', { role: 'reviewer' });
    const tree = await p.rights.tree();
    const health = tree.flatMap((c) => c.children).find((r) => r.code === 'IND-HEALTH')!;
    const movement = tree.flatMap((c) => c.children).find((r) => r.code === 'IND-MOVEMENT')!;
    ids.health = health.id;
    ids.movement = movement.id;
    const stepanakert = await f.place('Stepanakert', {
      altNames: [{ name: 'Ստեփանակերտ', lang: 'hy' }],
      geometry: { type: 'Point', coordinates: [46.752, 39.815] },
    });
    const release = await f.source('Communiqué du 16 janvier 2023', { type: 'media-report', publisher: 'Collectif' });
    const interview = await f.source('Interview with Anna K.', { type: 'interview' });
    ids.release = release.id;
    ids.interview = interview.id;

    // Published and public, in French and Armenian: it enters the edition.
    published = await publish(
      await f.record('hospital', documenter, {
        texts: {
          fr: { title: 'Opérations reportées à l’hôpital', summary: 'Des opérations ont été reportées faute de gaz.' },
          hy: {
            title: 'Վիրահատությունները հետաձգվել են',
            summary: 'Գազի բացակայության պատճառով վիրահատություններ են հետաձգվել։',
          },
        },
        startDate: '2023-01-10',
        startPrecision: 'day',
        rightIds: [health.id],
        placeIds: [stepanakert.id],
        ...open,
        affected: { children: 40 },
      }),
    );
    await p.sources.linkRecord(
      release.id,
      { recordId: published.id, relation: 'supports', quote: 'reportées' },
      actorOf(documenter),
    );
    await p.sources.linkRecord(
      interview.id,
      { recordId: published.id, relation: 'supports', quote: 'a dit' },
      actorOf(documenter),
    );
    ids.published = published.id;
    // Published, English only, with a hostile title: enters, marked untranslated, printed as written.
    ids.hostile = (
      await publish(
        await f.record(HOSTILE, documenter, {
          startDate: '2023-02-01',
          startPrecision: 'day',
          rightIds: [movement.id],
          ...open,
        }),
      )
    ).id;
    // Draft, internal-published and future records never enter.
    ids.draft = (
      await f.record('Brouillon secret', documenter, {
        rightIds: [health.id],
        ...open,
        startDate: '2023-01-11',
        startPrecision: 'day',
      })
    ).id;
    ids.internal = (
      await publish(
        await f.record('Fiche interne', documenter, {
          rightIds: [health.id],
          startDate: '2023-01-12',
          startPrecision: 'day',
          confidentiality: 'internal',
        }),
      )
    ).id;
    ids.later = (
      await publish(
        await f.record('Plus tard', documenter, {
          rightIds: [health.id],
          ...open,
          startDate: '2023-05-01',
          startPrecision: 'day',
        }),
      )
    ).id;

    await p.crisis.putCrisis(
      {
        name: { en: 'Blockade of the Lachin corridor', fr: 'Blocus du corridor de Latchine' },
        startsAt: '2022-12-12T10:30',
        timeZone: 'Asia/Yerevan',
      },
      null,
    );
    await p.crisis.createDisruption(
      { service: 'gas', severity: 'complete', start: '2022-12-13', end: '2022-12-16', sourceId: release.id },
      null,
    );
    const ind = await p.crisis.createIndicator(
      {
        name: { en: 'People crossing' },
        unit: { en: 'people', fr: 'personnes' },
        baselinePerDay: 1000,
        illustrative: true,
      },
      null,
    );
    await p.crisis.addObservation(ind.id, { asOf: '2023-03-01', cumulative: 2000 }, null);
    await p.crisis.createKeyFigure(
      {
        label: { en: 'Surgeries postponed', fr: 'Opérations reportées' },
        value: 270,
        asOf: '2023-03-01',
        sourceId: release.id,
      },
      null,
    );
  });

  async function built(lang: 'fr' | 'hy' | 'en' | 'ru', asOf: string, reportId: string): Promise<Edition> {
    const p = api().platform.reports;
    const started = await p.build(reportId, { asOf, lang }, actorOf(reviewer));
    expect(started.status).toBe('building');
    await p.finished(started.id);
    return p.edition(started.id, 'staff');
  }

  let reportId: string;
  let edition: Edition;

  it('builds a draft from the crisis counters and published public records only', async () => {
    const report = await api().platform.reports.create(
      { titles: { fr: 'Les droits humains pendant le blocus' }, recordsPerRight: 3 },
      actorOf(reviewer),
    );
    reportId = report.id;
    edition = await built('fr', '2023-03-21', reportId);
    expect(edition.status).toBe('draft');
    expect(edition.progress).toBe(100);
    const c = edition.content!;
    expect(c.keyNumbers.day?.value).toBe(100);
    expect(c.keyNumbers.disruptions[0]?.completeDays.value).toBe(4);
    expect(c.keyNumbers.indicators[0]?.expected.value).toBe(100_000);
    expect(c.keyNumbers.indicators[0]?.wording).toBe('environ 50 fois moins · 2 % de la normale');
    expect(c.keyNumbers.keyFigures[0]?.value.value).toBe(270);
    expect(c.keyNumbers.publishedRecords.value).toBe(2);

    const rights = c.categories.flatMap((x) => x.rights);
    const health = rights.find((r) => r.id === ids.health)!;
    expect(health.count.value).toBe(1);
    expect(health.records.map((r) => r.id)).toEqual([ids.published]);
    expect(health.groups.map((g) => [g.group, g.count.value])).toEqual([['children', 1]]);
    expect(health.records[0]?.places).toEqual(['Stepanakert']);
    expect(health.contributions).toEqual([]);
    const shown = JSON.stringify(c);
    for (const hidden of ['Brouillon secret', 'Fiche interne', 'Plus tard', 'Anna K.'])
      expect(shown).not.toContain(hidden);
  });

  it('marks what is not translated instead of showing it silently in another language', () => {
    const c = edition.content!;
    const movement = c.categories.flatMap((x) => x.rights).find((r) => r.id === ids.movement)!;
    expect(movement.records[0]?.title).toEqual({ text: HOSTILE, lang: 'en', fallback: true });
    expect(c.keyNumbers.indicators[0]?.name).toEqual({ text: 'People crossing', lang: 'en', fallback: true });
    expect(c.keyNumbers.indicators[0]?.unit).toEqual({ text: 'personnes', lang: 'fr', fallback: false });
    expect(c.untranslated).toBeGreaterThanOrEqual(3);
  });

  it('gives every number a trace that names its records, intervals and sources', () => {
    const c = edition.content!;
    const traces = new Map(c.traces.map((t) => [t.id, t]));
    const health = c.categories.flatMap((x) => x.rights).find((r) => r.id === ids.health)!;
    expect(traces.get(health.count.trace)?.records).toEqual([{ id: ids.published, code: published.code }]);
    expect(traces.get(health.count.trace)?.query).toEqual({ right: ids.health, to: '2023-03-21' });
    const gas = c.keyNumbers.disruptions[0]!;
    expect(traces.get(gas.anyDays.trace)?.sourceIds).toEqual([ids.release]);
    expect(traces.get(c.keyNumbers.day!.trace)?.method).toContain('Asia/Yerevan');
    // The annex lists the sources; an interview is listed without its title (which can name the person).
    expect(c.annex.map((a) => [a.id, a.title])).toEqual(
      expect.arrayContaining([
        [ids.release, 'Communiqué du 16 janvier 2023'],
        [ids.interview, null],
      ]),
    );
    // Every trace id a number points at exists, and endnote numbers run 1..n.
    expect(c.traces.map((t) => t.n)).toEqual(c.traces.map((_, i) => i + 1));
    for (const m of shown(c).matchAll(/"trace":"(t\d+)"/g)) expect(traces.has(m[1]!)).toBe(true);
  });

  it('prints French and Armenian intact in the PDF, and a hostile title as plain text', async () => {
    const pdf = await api().platform.reports.pdf(edition.id, 'staff');
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf.body).replace(/\s+/g, ' ');
    expect(text).toContain('Opérations reportées à l’hôpital');
    expect(text).toContain('Les droits humains pendant le blocus');
    expect(text).toContain('#import "x.typ": * ] *gras* _it_ $x$ <l> @r');
    expect(text).toContain('pas encore traduit, affiché en anglais');

    const hy = await built('hy', '2023-03-21', reportId);
    const hyText = pdfText((await api().platform.reports.pdf(hy.id, 'staff')).body).replace(/\s+/g, ' ');
    expect(hyText).toContain('Վիրահատությունները հետաձգվել են');
    expect(hyText).toContain('Ստեփանակերտ');
    expect(
      hy.content!.categories.flatMap((x) => x.rights).find((r) => r.id === ids.health)!.records[0]?.places,
    ).toEqual(['Ստեփանակերտ']);
  });

  it('publishes the draft as it is: same hashes, and later changes to the data never reach it', async () => {
    const p = api().platform.reports;
    const before = edition;
    const pub = await p.publish(edition.id, actorOf(reviewer));
    expect(pub.status).toBe('published');
    expect(pub.contentSha256).toBe(before.contentSha256);
    expect(pub.pdfSha256).toBe(before.pdfSha256);
    await expect(p.publish(edition.id, actorOf(reviewer))).rejects.toMatchObject({ status: 409 });

    // The record is unpublished afterwards: the published edition still counts it, a new build does not.
    await api().platform.records.transition(
      published.id,
      { to: 'unpublished', reason: 'correction' },
      actorOf(reviewer),
    );
    const again = await p.edition(edition.id, 'public');
    expect(again.contentSha256).toBe(before.contentSha256);
    expect(again.content!.keyNumbers.publishedRecords.value).toBe(2);
    const fresh = await built('fr', '2023-03-22', reportId);
    expect(fresh.content!.keyNumbers.publishedRecords.value).toBe(1);
    expect(fresh.contentSha256).not.toBe(before.contentSha256);

    // A newer published edition supersedes the older, which stays readable.
    expect((await p.edition(edition.id, 'public')).supersededBy).toBeNull();
    await p.publish(fresh.id, actorOf(reviewer));
    expect((await p.edition(edition.id, 'public')).supersededBy).toBe(fresh.id);
    expect((await p.pdf(edition.id, 'public')).sha256).toBe(before.pdfSha256);
    await expect(p.deleteEdition(edition.id, actorOf(reviewer))).rejects.toMatchObject({ status: 409 });
  });

  it('refuses an as-of date before the crisis began', async () => {
    await expect(
      api().platform.reports.build(reportId, { asOf: '2022-12-01', lang: 'fr' }, actorOf(reviewer)),
    ).rejects.toMatchObject({ status: 422 });
  });

  it('marks a build cut short by a restart as failed, instead of building forever', async () => {
    const at = new Date(Date.now() - 5 * 60_000).toISOString();
    await api()
      .platform.database.db.insertInto('report_editions')
      .values({
        id: 'interrupted-build',
        report_id: reportId,
        lang: 'en',
        as_of: '2023-03-21',
        status: 'building',
        progress: 40,
        stage: 'rights',
        failure: null,
        content_sha256: null,
        pdf_sha256: null,
        pdf_size: null,
        pages: null,
        built_by: null,
        created_at: at,
        updated_at: at,
        built_at: null,
        published_at: null,
        published_by: null,
      })
      .execute();
    const e = await api().platform.reports.edition('interrupted-build', 'staff');
    expect(e.status).toBe('failed');
    expect(e.failure).toContain('interrupted');
    await api().platform.reports.deleteEdition('interrupted-build', actorOf(reviewer));
    await expect(api().platform.reports.edition('interrupted-build', 'staff')).rejects.toMatchObject({ status: 404 });
  });

  it('reports progress through the listener up to 100', async () => {
    const seen: number[] = [];
    const e = await api().platform.reports.build(reportId, { asOf: '2023-03-21', lang: 'ru' }, actorOf(reviewer), {
      wait: true,
      onProgress: (percent) => seen.push(percent),
    });
    expect(e.status).toBe('draft');
    expect(seen[0]).toBeLessThan(10);
    expect(seen.at(-1)).toBe(100);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
});

const shown = (x: unknown) => JSON.stringify(x);
