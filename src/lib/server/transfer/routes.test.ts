import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachApi } from '../testing/api.js';
import { createFactory, type Factory } from '../testing/factories.js';
import type { ImportJob } from './index.js';
import { IMPORT_BATCH } from './service.js';

type Problem = { status: number; type: string; detail: string; errors?: { path: string; message: string }[] };

const HEADER =
  'external_id,title_en,summary_en,start_date,end_date,places,rights,tags,affected_children,confidentiality';

/** A CSV of the given data lines under HEADER (or another header), CRLF as spreadsheets write it. */
const csv = (lines: string[], header = HEADER) => [header, ...lines].join('\r\n') + '\r\n';

describeEachApi('CSV import and export of records', (api) => {
  let factory: Factory;
  let rita: { id: string; session: string }; // reviewer: imports
  let dora: { id: string; session: string }; // documenter: may not import
  let adam: { id: string; session: string }; // admin: another importer
  let cole: { id: string; session: string }; // communicator: staff, exports only

  const db = () => api().platform.database.db;
  const count = async (table: 'records' | 'record_revisions' | 'import_jobs') =>
    Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db())).rows[0]!.n);
  const byExternalId = (externalId: string) =>
    db().selectFrom('records').selectAll().where('external_id', '=', externalId).executeTakeFirst();
  const revisionsOf = async (id: string) =>
    (await db().selectFrom('record_revisions').select('rev').where('record_id', '=', id).execute()).length;

  const upload = (session: string, body: BodyInit, query = '', type = 'text/csv') =>
    api().request(`/api/imports/records${query}`, {
      method: 'POST',
      session,
      body,
      headers: { 'content-type': type },
    });
  const commit = (session: string, id: string, rows: 'all' | 'valid') =>
    api().request(`/api/imports/${id}/commit`, { method: 'POST', session, json: { rows } });
  const job = async (res: Response, status = 201) => {
    expect(res.status, await res.clone().text()).toBe(status);
    return (await res.json()) as ImportJob;
  };
  /** Waits for the background import, then reads the job as its importer sees it. */
  const done = async (session: string, id: string) => {
    await api().platform.imports.finished(id);
    return job(await api().request(`/api/imports/${id}`, { session }), 200);
  };
  /** Uploads the rows (under HEADER) as rita and imports them all at once: the job once it is done. */
  const importAll = async (lines: string[]) =>
    done(rita.session, (await job(await upload(rita.session, csv(lines), '?mode=all'))).id);
  const problem = async (res: Response, status = 422) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    return (await res.json()) as Problem;
  };
  const exportOf = (session: string, query: string) => api().request(`/api/exports/records?${query}`, { session });

  beforeAll(async () => {
    factory = createFactory(api());
    rita = await factory.signedIn('rita', { role: 'reviewer' });
    dora = await factory.signedIn('dora', { role: 'documenter' });
    adam = await factory.signedIn('adam', { role: 'admin' });
    cole = await factory.signedIn('cole', { role: 'communicator' });
    await factory.place('Stepanakert', {
      type: 'city',
      altNames: [{ name: 'Ստեփանակերտ', lang: 'hy' }],
      geometry: { type: 'Point', coordinates: [46.752, 39.815] },
    });
    await factory.place('Lachin corridor', {
      type: 'road',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [46.5, 39.6],
            [46.6, 39.6],
            [46.6, 39.7],
            [46.5, 39.7],
            [46.5, 39.6],
          ],
        ],
      },
    });
  });

  describe('dry run', () => {
    it('reports each bad row by line, column and reason, and writes no record', async () => {
      const records = await count('records');
      const res = await upload(
        rita.session,
        csv([
          'dry-1,Gas cut,The gas pipeline was cut.,2023-03-22,,Stepanakert,IND-LIFE;ind-health,gas,12,internal',
          'dry-2,Ends early,Summary.,2023-05-10,2023-05-01,,,,,',
          'dry-3,Unknown right,Summary.,2023,,,NO-SUCH,,,',
          'dry-4,Unknown place,Summary.,2023,,Atlantis,,,,',
          `dry-5,${'x'.repeat(301)},Summary.,2023,,,,,,`,
          'dry-6,Bad count,Summary.,2023,,,,,-3,',
          'dry-7,"Multi-line',
          'title",Summary.,2023-02-30,,,,,,secret',
          'dry-1,Repeated,Summary.,,,,,,,',
          'dry-8,Too few cells',
        ]),
        '?filename=dry.csv',
      );
      const j = await job(res);
      expect(j).toMatchObject({ status: 'checked', filename: 'dry.csv', mode: null });
      expect(j.rows).toMatchObject({ total: 9, invalid: 8, toCreate: 1, toUpdate: 0, done: 0 });
      const errors = j.errors.map((e) => `${e.line} ${e.column}`);
      expect(errors).toEqual(
        expect.arrayContaining([
          '3 end_date',
          '4 rights',
          '5 places',
          '6 title_en',
          '7 affected_children',
          '8 start_date',
          '8 confidentiality',
          '10 external_id',
          '11 (row)',
        ]),
      );
      const reason = (line: number, column: string) =>
        j.errors.find((e) => e.line === line && e.column === column)?.reason;
      expect(reason(3, 'end_date')).toMatch(/before the start/);
      expect(reason(4, 'rights')).toContain('NO-SUCH');
      expect(reason(5, 'places')).toContain('Atlantis');
      expect(reason(10, 'external_id')).toContain('line 2');
      expect(reason(11, '(row)')).toMatch(/expected 10 fields, found 2/);
      expect(j.errorCount).toBe(j.errors.length);
      expect(j.preview[0]).toMatchObject({ line: 2, externalId: 'dry-1', title: 'Gas cut', action: 'create' });
      expect(j.preview[1]).toMatchObject({ line: 3, action: 'error' });
      expect(await count('records')).toBe(records);
    });

    it('accepts a byte order mark, and finds places by any of their names in any case', async () => {
      const res = await upload(
        rita.session,
        '\uFEFF' + csv(['bom-1,With a BOM,Summary.,2023,,ստեփանակերտ;LACHIN CORRIDOR,,,,']),
      );
      const j = await job(res);
      expect(j.status).toBe('checked');
      expect(j.errors).toEqual([]);
      expect(j.rows.toCreate).toBe(1);
    });

    it('refuses a Latin-1 file with a clear error, and writes nothing', async () => {
      const [records, jobs] = [await count('records'), await count('import_jobs')];
      const latin1 = Buffer.from(csv(['lat-1,Café détruit,Résumé.,2023,,,,,,']), 'latin1');
      const p = await problem(await upload(rita.session, latin1, '?mode=all'));
      expect(p.type).toBe('urn:corridor:problem:invalid-file');
      expect(p.detail).toMatch(/not in UTF-8 \(line 2/);
      expect(await count('records')).toBe(records);
      // The attempt is kept, rejected, so that the importer can see what happened to it.
      expect(await count('import_jobs')).toBe(jobs + 1);
      const rejected = await db()
        .selectFrom('import_jobs')
        .selectAll()
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
      expect(rejected).toMatchObject({ status: 'rejected', rows_done: 0 });
    });

    it('refuses broken quoting with a clear error, and writes nothing', async () => {
      const records = await count('records');
      const p = await problem(
        await upload(
          rita.session,
          csv(['q-1,Fine,Summary.,2023,,,,,,', 'q-2,"Broken "quote" here,Summary.,2023,,,,,,']),
          '?mode=valid',
        ),
      );
      expect(p.detail).toMatch(/quot/i);
      expect(p.detail).toContain('line 3');
      expect(await count('records')).toBe(records);
      const unclosed = await problem(await upload(rita.session, csv(['q-3,"Never closed,Summary.,2023,,,,,,'])));
      expect(unclosed.detail).toMatch(/never closed/);
      const stray = await problem(await upload(rita.session, csv(['q-4,=HYPERLINK("x"),Summary.,2023,,,,,,'])));
      expect(stray.detail).toMatch(/^Broken quoting \(line 2\)/);
    });

    it('refuses unknown columns by name, a file without external_id, and one that is not CSV', async () => {
      const unknown = await problem(
        await upload(rita.session, 'external_id,title_en,summary_en,colour,Size\r\nx,a,b,c,d\r\n'),
      );
      expect(unknown.detail).toContain('Unknown columns: colour, size');
      const noId = await problem(await upload(rita.session, 'title_en,summary_en\r\na,b\r\n'));
      expect(noId.detail).toContain('external_id');
      expect((await upload(rita.session, '{}', '', 'application/json')).status).toBe(415);
    });

    it('is for reviewers and admins, and each import is seen by its importer only', async () => {
      expect((await upload(dora.session, csv([]))).status).toBe(403);
      const j = await job(await upload(rita.session, csv(['own-1,Mine,Summary.,2023,,,,,,'])));
      expect((await api().request(`/api/imports/${j.id}`, { session: adam.session })).status).toBe(404);
      expect((await commit(adam.session, j.id, 'all')).status).toBe(404);
    });
  });

  describe('import', () => {
    const file = csv([
      'imp-1,Gas cut,The gas pipeline was cut.,2023-03-22,,Stepanakert,IND-LIFE,Gas;winter,12,internal',
      'imp-2,Ends early,Summary.,2023-05-10,2023-05-01,,,,,',
      'imp-3,Road closed,The road was closed.,2023-06,,Lachin corridor,IND-MOVEMENT,,,public',
    ]);

    it("refuses 'all' while a row has an error, and writes nothing", async () => {
      const records = await count('records');
      const j = await job(await upload(rita.session, file));
      expect(j.rows.invalid).toBe(1);
      const p = await problem(await commit(rita.session, j.id, 'all'));
      expect(p.detail).toContain('1 of 3 rows have errors');
      expect(p.errors?.[0]).toMatchObject({ path: 'line 3, end_date' });
      expect(await count('records')).toBe(records);
      expect((await done(rita.session, j.id)).status).toBe('checked');
    });

    it("imports only the valid rows with 'valid', each a draft with its first revision, one audit entry a batch", async () => {
      const j = await job(await upload(rita.session, file, '?filename=register.csv'));
      const started = await job(await commit(rita.session, j.id, 'valid'), 202);
      expect(started).toMatchObject({ status: 'importing', mode: 'valid' });
      const finished = await done(rita.session, j.id);
      expect(finished).toMatchObject({ status: 'done', failure: null });
      expect(finished.rows).toMatchObject({ done: 3, created: 2, updated: 0, unchanged: 0, skipped: 1 });
      expect(finished.errors.map((e) => `${e.line} ${e.column}`)).toEqual(['3 end_date']);
      expect(await byExternalId('imp-2')).toBeUndefined();

      const gas = (await byExternalId('imp-1'))!;
      expect(gas).toMatchObject({ status: 'draft', author_id: rita.id, confidentiality: 'internal' });
      expect(gas.code).toMatch(/^V-\d{4}-\d{4}$/);
      const view = (await (await api().request(`/api/records/${gas.id}`, { session: rita.session })).json()) as {
        texts: { en: { title: string } };
        tags: string[];
        affected: { children: number | null };
        startPrecision: string;
        verificationHistory: unknown[];
      };
      expect(view).toMatchObject({
        texts: { en: { title: 'Gas cut' } },
        tags: ['gas', 'winter'],
        affected: { children: 12 },
        startPrecision: 'day',
      });
      expect(view.verificationHistory).toHaveLength(1);
      const revisions = (await (
        await api().request(`/api/records/${gas.id}/revisions`, { session: rita.session })
      ).json()) as { items: { rev: number; action: string; note: string }[] };
      expect(revisions.items).toEqual([
        expect.objectContaining({ rev: 1, action: 'create', note: 'imported from register.csv, line 2' }),
      ]);

      const audit = await db()
        .selectFrom('audit_log')
        .select(['action', 'entity_id'])
        .where('entity_id', '=', j.id)
        .orderBy('seq')
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['imports.upload', 'imports.commit', 'records.import']);
    });

    it('changes nothing when the same file is imported again: same records, no new revision', async () => {
      const same = csv([
        'again-1,Shelling,Houses were hit.,2023-09-19,,Stepanakert,IND-LIFE,,3,internal',
        'again-2,Convoy stopped,A convoy was stopped.,2023-07,,,IND-FOOD,aid,,internal',
      ]);
      const first = await done(rita.session, (await job(await upload(rita.session, same, '?mode=all'))).id);
      expect(first.rows).toMatchObject({ created: 2, unchanged: 0 });
      const [records, revisions] = [await count('records'), await count('record_revisions')];

      const checked = await job(await upload(rita.session, same));
      expect(checked.rows).toMatchObject({ toCreate: 0, toUpdate: 0 });
      expect(checked.preview.map((p) => p.action)).toEqual(['unchanged', 'unchanged']);
      const second = await done(rita.session, (await job(await commit(rita.session, checked.id, 'all'), 202)).id);
      expect(second.rows).toMatchObject({ done: 2, created: 0, updated: 0, unchanged: 2 });
      expect(await count('records')).toBe(records);
      expect(await count('record_revisions')).toBe(revisions);
    });

    it('makes a new revision of a record whose row changed, keeping what the file does not give', async () => {
      await importAll(['chg-1,Old title,Summary.,2023,,,,keep,,']);
      const before = (await byExternalId('chg-1'))!;
      const narrower = 'external_id,title_en,summary_en\r\nchg-1,New title,Summary.\r\n';
      const j = await job(await upload(rita.session, narrower));
      expect(j.rows.toUpdate).toBe(1);
      expect(j.preview[0]!.action).toBe('update');
      const finished = await done(rita.session, (await job(await commit(rita.session, j.id, 'all'), 202)).id);
      expect(finished.rows).toMatchObject({ updated: 1, created: 0 });
      expect(await revisionsOf(before.id)).toBe(2);
      const diff = (await (
        await api().request(`/api/records/${before.id}/diff?from=1&to=2`, { session: rita.session })
      ).json()) as { changes: { path: string; before: unknown; after: unknown }[] };
      expect(diff.changes).toEqual([{ path: 'texts.en.title', before: 'Old title', after: 'New title' }]);
      expect((await byExternalId('chg-1'))!.version).toBe(2);
    });

    it('keeps no copy of an imported record in its first revision until it changes, and the history reads the same', async () => {
      await importAll([
        'asnow-1,Imported title,Summary.,2023-02,,Stepanakert,IND-LIFE,first,,internal',
        'asnow-2,Submitted as imported,Summary.,2023,,,,,,internal',
      ]);
      const call = (path: string, init: Parameters<ReturnType<typeof api>['request']>[1] = {}) =>
        api().request(`/api/records/${path}`, { session: rita.session, ...init });
      const stored = async (id: string) =>
        (await db().selectFrom('record_revisions').select(['rev', 'snapshot']).where('record_id', '=', id).execute())
          .sort((a, b) => a.rev - b.rev)
          .map((r) => r.snapshot);
      type Revision = { snapshot: { status: string; tags: string[]; texts: { en: { title: string } } } };
      const revision = async (id: string, rev: number) =>
        (await (await call(`${id}/revisions/${rev}`)).json()) as Revision;

      const one = (await byExternalId('asnow-1'))!;
      expect(await stored(one.id)).toEqual(['']);
      expect((await revision(one.id, 1)).snapshot).toMatchObject({
        status: 'draft',
        tags: ['first'],
        texts: { en: { title: 'Imported title' } },
      });
      // A change by hand: the first revision keeps the record as imported.
      const edited = await call(one.id, {
        method: 'PATCH',
        json: { version: 1, texts: { en: { title: 'Edited title', summary: 'Summary.' } }, tags: ['second'] },
      });
      expect(edited.status, await edited.clone().text()).toBe(200);
      expect((await stored(one.id))[0]).not.toBe('');
      expect((await revision(one.id, 1)).snapshot).toMatchObject({
        tags: ['first'],
        texts: { en: { title: 'Imported title' } },
      });
      expect((await revision(one.id, 2)).snapshot.texts.en.title).toBe('Edited title');
      const diff = (await (await call(`${one.id}/diff?from=1&to=2`)).json()) as { changes: { path: string }[] };
      expect(diff.changes.map((c) => c.path).sort()).toEqual(['tags', 'texts.en.title']);
      // Restoring it brings back what was imported.
      const restored = await call(`${one.id}/revisions/1/restore`, { method: 'POST' });
      expect(((await restored.json()) as { texts: { en: { title: string } } }).texts.en.title).toBe('Imported title');

      // A transition: the first revision keeps the state it was imported in.
      const two = (await byExternalId('asnow-2'))!;
      const moved = await call(`${two.id}/transitions`, { method: 'POST', json: { to: 'in-review' } });
      expect(moved.status, await moved.clone().text()).toBe(200);
      expect((await revision(two.id, 1)).snapshot.status).toBe('draft');
      expect((await revision(two.id, 2)).snapshot.status).toBe('in-review');
      expect((await stored(two.id)).every((s) => s !== '')).toBe(true);
    });

    it('refuses to change a published record, row by row, but lets it be when unchanged', async () => {
      const row = 'pub-1,Published,Summary.,2023,,,,,,public';
      await importAll([row]);
      const id = (await byExternalId('pub-1'))!.id;
      for (const [who, to] of [
        [rita, 'in-review'],
        [rita, 'approved'],
        [adam, 'published'],
      ] as const)
        expect(
          (
            await api().request(`/api/records/${id}/transitions`, {
              method: 'POST',
              session: who.session,
              json: { to },
            })
          ).status,
        ).toBe(200);
      const unchanged = await job(await upload(rita.session, csv([row])));
      expect(unchanged.errors).toEqual([]);
      const changed = await job(
        await upload(rita.session, csv(['pub-1,Published and changed,Summary.,2023,,,,,,public'])),
      );
      expect(changed.errors).toEqual([
        expect.objectContaining({ line: 2, column: 'external_id', reason: expect.stringMatching(/is published/) }),
      ]);
    });

    it('indexes what it imports for full-text search, in the same transaction, and re-indexes what it changes', async () => {
      const search = async (q: string) =>
        (
          (await (
            await api().request(`/api/records?q=${encodeURIComponent(q)}`, { session: rita.session })
          ).json()) as { items: { id: string }[] }
        ).items.map((i) => i.id);
      await importAll(['idx-1,Quokkaimport sighting,Summary.,2023,,,,,,']);
      const id = (await byExternalId('idx-1'))!.id;
      expect(await search('quokkaimport')).toEqual([id]);
      await importAll(['idx-1,Wallabyimport sighting,Summary.,2023,,,,,,']);
      expect(await search('quokkaimport')).toEqual([]);
      expect(await search('wallabyimport')).toEqual([id]);
      const exported = (await (await exportOf(rita.session, 'format=json&q=wallabyimport')).json()) as { id: string }[];
      expect(exported.map((r) => r.id)).toEqual([id]);
    });

    it('checks again a file whose places changed since its dry run: the row is left out, named', async () => {
      const gone = await factory.place('Temporaryville', { type: 'village' });
      const j = await job(
        await upload(
          rita.session,
          csv(['tmp-1,Kept row,Summary.,2023,,Stepanakert,,,,', 'tmp-2,Place gone,Summary.,2023,,Temporaryville,,,,']),
        ),
      );
      expect(j.rows).toMatchObject({ total: 2, invalid: 0 });
      await api().platform.places.delete(gone.id, null);
      const finished = await done(rita.session, (await job(await commit(rita.session, j.id, 'all'), 202)).id);
      expect(finished.rows).toMatchObject({ created: 1, skipped: 1 });
      expect(finished.errors).toEqual([
        { line: 3, column: 'places', reason: 'no place with the id or name “Temporaryville”' },
      ]);
      expect(await byExternalId('tmp-2')).toBeUndefined();
    });

    it('streams a file larger than the API body limit, in several batches', async () => {
      const rows = 2 * IMPORT_BATCH + 500;
      const lines = Array.from(
        { length: rows },
        (_, i) => `big-${i},Row ${i} ${'x'.repeat(200)},Summary ${i}.,2023-01-01,,Stepanakert,IND-FOOD,,${i},`,
      );
      const text = csv(lines);
      expect(text.length).toBeGreaterThan(1024 * 1024);
      const bytes = new TextEncoder().encode(text);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.slice(i, i + 64 * 1024));
          controller.close();
        },
      });
      const res = await api().request('/api/imports/records?mode=all', {
        method: 'POST',
        session: rita.session,
        body: stream,
        headers: { 'content-type': 'text/csv; charset=utf-8' },
        duplex: 'half',
      } as RequestInit);
      const j = await done(rita.session, (await job(res)).id);
      expect(j.rows).toMatchObject({ total: rows, created: rows });
      const batches = await db()
        .selectFrom('audit_log')
        .select('seq')
        .where('entity_id', '=', j.id)
        .where('action', '=', 'records.import')
        .execute();
      expect(batches).toHaveLength(3);
    });

    it("keeps the checked rows of every batch for 'valid', a batch with no valid row and a repeat across batches included", async () => {
      // Batch 1 valid, batch 2 all invalid (its end date comes before its start), batch 3 valid but for one row
      // that repeats an external id of batch 1.
      const lines = Array.from({ length: 2 * IMPORT_BATCH + 10 }, (_, i) => {
        const bad = i >= IMPORT_BATCH && i < 2 * IMPORT_BATCH;
        const id = i === 2 * IMPORT_BATCH + 3 ? 'kept-7' : `kept-${i}`;
        return `${id},Row ${i},Summary ${i}.,2023-02-01,${bad ? '2023-01-01' : ''},Stepanakert,IND-FOOD,,,`;
      });
      const checked = await job(await upload(rita.session, csv(lines)));
      expect(checked.rows).toMatchObject({ total: lines.length, invalid: IMPORT_BATCH + 1 });
      await job(await commit(rita.session, checked.id, 'valid'), 202);
      const j = await done(rita.session, checked.id);
      expect(j.rows).toMatchObject({ done: lines.length, created: IMPORT_BATCH + 9, skipped: IMPORT_BATCH + 1 });
      expect(j.errorCount).toBe(IMPORT_BATCH + 1);
      // The errors kept are the first 1,000 (batch 2's); the repeat was refused, not written over line 9's record.
      const kept7 = await byExternalId('kept-7');
      const texts = await db().selectFrom('record_texts').select('title').where('record_id', '=', kept7!.id).execute();
      expect(texts.map((t) => t.title)).toEqual(['Row 7']);
      expect(await byExternalId(`kept-${IMPORT_BATCH}`)).toBeUndefined();
      expect(await byExternalId(`kept-${2 * IMPORT_BATCH + 9}`)).toBeDefined();
      expect(await byExternalId(`kept-${2 * IMPORT_BATCH + 3}`)).toBeUndefined();
    });
  });

  describe('export', () => {
    beforeAll(async () => {
      await importAll([
        'exp-1,=cmd()|calc,+1 summary,2023,,Stepanakert;Lachin corridor,IND-LIFE,export,,internal',
        'exp-2,@SUM(A1),-minus,2023,,,,export,,public',
      ]);
      // The canary: a restricted record of dora's, which rita and cole may not see.
      await factory.record('zanzibarcanary', await factory.get('dora'), {
        confidentiality: 'restricted',
        tags: ['export'],
        placeIds: [factory.placeNamed('Stepanakert').id],
      });
    });

    it('writes CSV with formula cells neutralised, and with the columns the import reads', async () => {
      const res = await exportOf(rita.session, 'format=csv&tag=export');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="records-.*\.csv"$/);
      const bytes = new Uint8Array(await res.arrayBuffer());
      // A byte order mark, so that spreadsheets read the file as UTF-8.
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder().decode(bytes);
      expect(text.startsWith('id,code,status,external_id,title_en,')).toBe(true);
      expect(text).toContain("'=cmd()|calc");
      expect(text).toContain("'+1 summary");
      expect(text).toContain("'@SUM(A1)");
      expect(text).toContain("'-minus");
      expect(text).not.toMatch(/(^|,)=cmd/m);
      expect(text).toContain('IND-LIFE');
    });

    it('never holds a restricted record the caller may not see, in any format (canary)', async () => {
      for (const format of ['csv', 'json', 'geojson'])
        for (const who of [rita, cole, adam]) {
          const res = await exportOf(who.session, `format=${format}&tag=export`);
          expect(res.status).toBe(200);
          expect(await res.text()).not.toContain('zanzibarcanary');
        }
      // The author sees it: the check above can fail.
      expect(await (await exportOf(dora.session, 'format=json&tag=export')).text()).toContain('zanzibarcanary');
      expect(await (await exportOf(dora.session, 'format=geojson&tag=export')).text()).toContain('zanzibarcanary');
    });

    it('writes a GeoJSON FeatureCollection: a point per record and place, public-safe properties', async () => {
      const res = await exportOf(rita.session, 'format=geojson&tag=export');
      expect(res.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
      const fc = (await res.json()) as {
        type: string;
        features: {
          type: string;
          id: string;
          geometry: { type: string; coordinates: number[] };
          properties: Record<string, unknown>;
        }[];
      };
      expect(fc.type).toBe('FeatureCollection');
      expect(fc.features).toHaveLength(2);
      for (const f of fc.features) {
        expect(f.type).toBe('Feature');
        expect(f.geometry.type).toBe('Point');
        const [lon, lat] = f.geometry.coordinates as [number, number];
        expect(lon).toBeGreaterThanOrEqual(-180);
        expect(lon).toBeLessThanOrEqual(180);
        expect(lat).toBeGreaterThanOrEqual(-90);
        expect(lat).toBeLessThanOrEqual(90);
        expect(f.properties).not.toHaveProperty('authorId');
        expect(f.properties).not.toHaveProperty('accessUserIds');
        expect(f.properties).not.toHaveProperty('confidentiality');
      }
      const names = fc.features.map((f) => f.properties.placeName).sort();
      expect(names).toEqual(['Lachin corridor', 'Stepanakert']);
      const area = fc.features.find((f) => f.properties.placeName === 'Lachin corridor')!;
      expect(area.geometry.coordinates[0]).toBeCloseTo(46.55);
      expect(area.geometry.coordinates[1]).toBeCloseTo(39.65);
    });

    it('writes JSON records with their external id; refuses a bad filter before writing anything', async () => {
      const items = (await (await exportOf(rita.session, 'format=json&tag=export')).json()) as { externalId: string }[];
      expect(items.map((i) => i.externalId).sort()).toEqual(['exp-1', 'exp-2']);
      expect((await exportOf(rita.session, 'format=xlsx')).status).toBe(422);
      expect((await exportOf(rita.session, 'format=csv&from=yesterday')).status).toBe(422);
    });

    it('exports every matching record, past one page', async () => {
      const lines = Array.from({ length: 230 }, (_, i) => `paged-${i},Paged ${i},Summary.,2023,,,,paged,,`);
      await importAll(lines);
      const items = (await (await exportOf(rita.session, 'format=json&tag=paged')).json()) as { externalId: string }[];
      expect(new Set(items.map((i) => i.externalId)).size).toBe(230);
    });

    it('an exported CSV imports again as it is: nothing changes', async () => {
      const text = await (await exportOf(rita.session, 'format=csv&tag=export')).text();
      const j = await job(await upload(rita.session, text.replace(/'(?=[=+@-])/g, '')));
      expect(j.errors).toEqual([]);
      expect(j.rows).toMatchObject({ total: 2, toCreate: 0, toUpdate: 0 });
    });
  });

  describe('public export', () => {
    const publicExport = (query: string) => api().request(`/api/public/exports/records?${query}`);
    const stepanakert = () => factory.placeNamed('Stepanakert').id;

    beforeAll(async () => {
      const author = await factory.get('dora');
      const shown = await factory.record('Gas cut at the border', author, {
        texts: {
          en: { title: 'Gas cut at the border', summary: '=HYPERLINK("x") according to the ombudsman' },
          fr: { title: 'Coupure de gaz à la frontière', summary: 'Selon le médiateur.' },
        },
        confidentiality: 'public',
        tags: ['pubexp'],
        placeIds: [stepanakert()],
        startDate: '2023-01-12',
        startPrecision: 'day',
        affected: { wholePopulation: 120000 },
        responsible: [{ name: 'Operator', attribution: 'According to the ombudsman’s report' }],
        verificationNote: 'notecanary from the reviewer',
      });
      await factory.publish(shown, author, factory.get('rita'));
      // Canaries: a published record that is internal, a public one never published, and a restricted one.
      const internal = await factory.record('internalcanary', author, {
        confidentiality: 'internal',
        tags: ['pubexp'],
        placeIds: [stepanakert()],
      });
      await factory.publish(internal, author, factory.get('rita'));
      await factory.record('draftcanary', author, {
        confidentiality: 'public',
        tags: ['pubexp'],
        placeIds: [stepanakert()],
      });
      await factory.record('restrictedcanary', author, {
        confidentiality: 'restricted',
        tags: ['pubexp'],
        placeIds: [stepanakert()],
      });
    });

    it('holds the published, public records of the search, in every format, and never another (canaries)', async () => {
      for (const format of ['csv', 'json', 'geojson']) {
        const res = await publicExport(`format=${format}&tag=pubexp`);
        expect(res.status, format).toBe(200);
        const text = await res.text();
        expect(text, format).toContain('Gas cut at the border');
        for (const canary of ['internalcanary', 'draftcanary', 'restrictedcanary', 'notecanary'])
          expect(text, `${format}: ${canary}`).not.toContain(canary);
        for (const field of ['authorId', 'confidentiality', 'externalId', 'accessUserIds', '"status"'])
          expect(text, `${format}: ${field}`).not.toContain(field);
      }
      // The search narrows it as on the portal: words, in any accent.
      const fr = (await (await publicExport('format=json&q=frontiere')).json()) as { code: string }[];
      expect(fr).toHaveLength(1);
      expect((await (await publicExport('format=json&q=zzznothing')).json()) as unknown[]).toEqual([]);
    });

    it('writes a CSV of the public columns, places by name and formula cells neutralised', async () => {
      const res = await publicExport('tag=pubexp');
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="public-records-.*\.csv"$/);
      expect(res.headers.get('cache-control')).toBe('public, max-age=60');
      const text = new TextDecoder().decode(await res.arrayBuffer());
      const [header, row, ...rest] = text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(rest).toEqual([]);
      const columns = header!.split(',');
      expect(columns.slice(0, 4)).toEqual(['id', 'code', 'verification', 'title_en']);
      for (const hidden of ['status', 'confidentiality', 'external_id', 'verification_note', 'author_id'])
        expect(columns).not.toContain(hidden);
      expect(row).toContain('Stepanakert');
      expect(row).toContain('Coupure de gaz à la frontière');
      expect(row).toContain('120000');
      expect(row).toContain(`"'=HYPERLINK(""x"") according to the ombudsman"`);
    });

    it('writes GeoJSON points with public properties, and refuses a staff-only filter or a bad format', async () => {
      const fc = (await (await publicExport('format=geojson&tag=pubexp')).json()) as {
        features: { geometry: { coordinates: number[] }; properties: Record<string, unknown> }[];
      };
      expect(fc.features).toHaveLength(1);
      expect(fc.features[0]!.geometry.coordinates).toEqual([46.752, 39.815]);
      expect(fc.features[0]!.properties).toMatchObject({ placeName: 'Stepanakert', startDate: '2023-01-12' });
      expect((await publicExport('format=xlsx')).status).toBe(422);
      expect((await publicExport('from=yesterday')).status).toBe(422);
      // Workflow and confidentiality filters are staff-only: the public query does not know them.
      const res = await publicExport('format=json&tag=pubexp&confidentiality=internal&status=draft');
      expect(res.status).toBe(200);
      expect(((await res.json()) as { code: string }[]).length).toBe(1);
    });
  });
});
