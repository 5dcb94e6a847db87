import { describe, expect, it } from 'vitest';
import { ROLES } from '../http/access.js';
import { describeEachApi, login, type TestApi } from '../testing/api.js';
import {
  DEMO_ACCOUNTS,
  DEMO_HIGHLIGHTS,
  DEMO_ONLY_PASSWORD,
  DEMO_RECORDS,
  DEMO_SOURCES,
  DEMO_STORIES,
  DEMO_TAG,
  demoAuthor,
  demoTag,
  formatDemoAccounts,
  loadDemo,
} from './index.js';
import { HIGHLIGHT_LOCALES, HIGHLIGHTS_SETTING_KEY } from '../portal/index.js';
import type { RecordsService } from '../records/index.js';
import { DEMO_PLACES } from './places.js';

/**
 * The whole platform is the loader's target, wired as in production, so that every module's demo data loads
 * exactly as `corridor demo` loads it.
 */
function demoTarget(api: () => TestApi) {
  return api().platform;
}

/** How many audit entries of these entity types there are: each first-run write is audited exactly once. */
async function audited(target: ReturnType<typeof demoTarget>, entityType: string): Promise<number> {
  return (await target.audit.list({ entityType, limit: 1000 })).length;
}

/** Source–record links the demo makes: each one audited on the source. */
const LINKS = DEMO_RECORDS.reduce((n, r) => n + r.sources.length, 0);

describeEachApi('demo loader', (ctx) => {
  it('creates one account per role and the highlights, all audited, on the first run', async () => {
    const target = demoTarget(ctx);
    expect(await target.portal.highlights()).toEqual([]);

    const result = await loadDemo(target);

    expect(result.accounts.map((a) => a.role)).toEqual([...ROLES]);
    expect(result.accounts.every((a) => a.created)).toBe(true);
    expect(result.highlights).toEqual({ count: DEMO_HIGHLIGHTS.length, changed: true });
    for (const a of DEMO_ACCOUNTS) expect((await target.accounts.findUserByEmail(a.email)) ?? null).not.toBeNull();
    expect(await target.portal.highlights()).toEqual(DEMO_HIGHLIGHTS);

    const audit = await target.audit.verify();
    expect(result.places).toEqual({ count: DEMO_PLACES.length, created: DEMO_PLACES.length });
    for (const q of ['khankendi', 'Ստեփան', 'lachin', 'berdzor', 'shush', 'Горис'])
      expect(await target.places.list({ q }), q).toHaveLength(1);
    expect(audit.ok).toBe(true);
    expect(await audited(target, 'user')).toBe(ROLES.length);
    expect(await audited(target, 'place')).toBe(DEMO_PLACES.length);
    expect(await audited(target, 'source')).toBe(DEMO_SOURCES.length + LINKS);
    // Each record's creation, and for the published ones three transitions (submitted, approved, published).
    const published = DEMO_RECORDS.filter((r) => r.publish).length;
    expect(await audited(target, 'record')).toBe(DEMO_RECORDS.length + 3 * published);
    expect(result.sources).toEqual({ count: DEMO_SOURCES.length, created: DEMO_SOURCES.length });
    expect(result.records).toEqual({ count: DEMO_RECORDS.length, created: DEMO_RECORDS.length, published });
    expect(result.links.created).toBe(LINKS);
    const [settingEntry] = await target.audit.list({ limit: 1, entityType: 'setting' });
    expect(settingEntry).toMatchObject({
      actorId: null,
      action: 'portal.highlights.replace',
      entityId: HIGHLIGHTS_SETTING_KEY,
    });
  });

  it('changes nothing and writes no audit entry when run again', async () => {
    const target = demoTarget(ctx);
    const before = await target.audit.verify();

    const again = await loadDemo(target);

    expect(again.accounts.some((a) => a.created)).toBe(false);
    expect(again.highlights.changed).toBe(false);
    expect(again.places.created).toBe(0);
    expect(again.sources).toEqual({ count: DEMO_SOURCES.length, created: 0 });
    expect(again.records).toEqual({ count: DEMO_RECORDS.length, created: 0, published: 0 });
    expect(again.links.created).toBe(0);
    expect(again.stories).toEqual({ count: DEMO_STORIES.length, created: 0 });
    expect(await target.audit.verify()).toEqual(before);
    expect(formatDemoAccounts(again)).toContain('already there');
    expect(formatDemoAccounts(again)).toContain(
      `${DEMO_SOURCES.length} demo sources (0 added now, ${DEMO_SOURCES.length} already there)`,
    );
  });

  it('registers the seed documents as ungraded sources, each supporting the records it is quoted for', async () => {
    const target = demoTarget(ctx);
    const author = await target.accounts.findUserByEmail(DEMO_ACCOUNTS.find((a) => a.role === 'documenter')!.email);
    const actor = demoAuthor(author!.id);
    const { items } = await target.sources.list({ limit: 500 });
    for (const s of DEMO_SOURCES) {
      const found = items.filter((i) => i.title === s.input.title);
      expect(found, s.key).toHaveLength(1);
      expect(found[0]).toMatchObject({
        type: s.input.type,
        date: s.input.date,
        datePrecision: 'day',
        language: 'en',
        publisher: s.input.publisher,
        reliability: null,
        credibility: null,
      });
    }
    const supporting = new Map<string, number>();
    for (const s of items) {
      for (const l of (await target.sources.get(s.id, actor)).records) {
        expect(l.relation).toBe('supports');
        expect(l.quote.length).toBeGreaterThan(0);
        supporting.set(l.recordId, (supporting.get(l.recordId) ?? 0) + 1);
      }
    }

    const list = await target.records.list(actor, { tag: DEMO_TAG, limit: 200 });
    expect(list.total.value).toBe(DEMO_RECORDS.length);
    const attribution = { en: /^According to /, fr: /^Selon /, hy: /համաձայն/, ru: /^(Согласно|По данным)/ };
    const byKey = new Map<string, Awaited<ReturnType<RecordsService['get']>>>();
    for (const item of list.items) {
      const r = await target.records.get(actor, item.id);
      const key = r.tags.find((t) => t.startsWith('demo:'))!.slice('demo:'.length);
      byKey.set(key, r);
      const published = DEMO_RECORDS.find((d) => d.key === key)!.publish;
      expect(r).toMatchObject({
        status: published ? 'published' : 'draft',
        verification: 'reported',
        confidentiality: 'public',
      });
      expect(r.publishedAt === null).toBe(!published);
      for (const lang of ['en', 'fr'] as const) {
        expect(r.texts[lang]?.title, `${key} [${lang}]`).toBeTruthy();
        expect(r.texts[lang]?.summary, `${key} [${lang}]`).toMatch(attribution[lang]);
      }
      for (const lang of ['hy', 'ru'] as const)
        if (r.texts[lang]) expect(r.texts[lang].summary, `${key} [${lang}]`).toMatch(attribution[lang]);
      for (const who of r.responsible) expect(who.attribution, key).toMatch(/^According to /);
      expect(supporting.get(r.id) ?? 0, `${key} has a supporting source`).toBeGreaterThanOrEqual(1);
    }
    expect([...byKey.keys()].sort()).toEqual(DEMO_RECORDS.map((r) => r.key).sort());

    const road = byKey.get('road-blocked')!;
    expect(road).toMatchObject({ startDate: '2022-12-12', startPrecision: 'day', ongoing: true });
    expect(road.affected).toMatchObject({ wholePopulation: 120_000, children: 30_000 });
    expect(road.placeIds).toHaveLength(3);
    expect(road.rightIds).toContain((await target.rights.findByCode('IND-MOVEMENT'))!.id);
    expect(supporting.get(road.id)).toBe(2);
    const schools = byKey.get('schools-unheated')!;
    expect(schools.rightIds).toEqual(
      expect.arrayContaining([
        (await target.rights.findByCode('IND-EDUCATION'))!.id,
        (await target.rights.findByCode('VUL-CHILDREN'))!.id,
      ]),
    );
    const cable = byKey.get('cable-and-power-line-damaged')!;
    expect(cable.links.map((l) => [l.kind, l.recordId]).sort()).toEqual(
      [
        ['part-of', byKey.get('electricity-disrupted')!.id],
        ['part-of', byKey.get('communications-disrupted')!.id],
      ].sort(),
    );
    expect(cable.authorId).toBe(author!.id);
    expect((await target.records.list(actor, { tag: demoTag('gas-disrupted') })).total.value).toBe(1);
  });

  it('tells illustrative stories of fictional persons: one public, one taken down by withdrawn consent, one draft', async () => {
    const target = demoTarget(ctx);
    const all = await target.stories.list();
    expect(all.map((s) => s.status).sort()).toEqual(['draft', 'published', 'unpublished']);
    const res = await ctx().request('/api/public/stories');
    const body = await res.text();
    const { items } = JSON.parse(body) as { items: { id: string; pseudonym: string; recordIds: string[] }[] };
    expect(items.map((i) => i.pseudonym)).toEqual(['Anahit M.']);
    // Of its linked records, the public sees the published ones only.
    const publicRecords = await ctx().request('/api/public/records?limit=200');
    const publicIds = new Set(((await publicRecords.json()) as { items: { id: string }[] }).items.map((r) => r.id));
    expect(items[0]!.recordIds.every((id) => publicIds.has(id))).toBe(true);
    const withdrawn = all.find((s) => s.status === 'unpublished')!;
    expect((await ctx().request(`/api/public/stories/${withdrawn.id}`)).status).toBe(410);
    for (const s of DEMO_STORIES) {
      for (const t of Object.values(s.texts))
        expect(t.narrative).toMatch(/^(Illustrative demo story|Récit de démonstration)/);
      for (const secret of [s.identity.fullName, ...s.identity.otherNames, s.identity.address])
        expect(body).not.toContain(secret);
    }
  });

  it('replaces outdated highlights, and audits the replacement', async () => {
    const target = demoTarget(ctx);
    await target.portal.replaceHighlights([], null);
    const before = await target.audit.verify();

    const result = await loadDemo(target);

    expect(result.highlights.changed).toBe(true);
    expect(await target.portal.highlights()).toHaveLength(DEMO_HIGHLIGHTS.length);
    expect((await target.audit.verify()).checked).toBe(before.checked + 1);
  });
});

describe('demo highlights content', () => {
  it('attributes every claim to its source, in every language', () => {
    const attribution = { en: /^According to/, fr: /^Selon/, hy: /համաձայն/, ru: /^(Согласно|По данным)/ };
    for (const h of DEMO_HIGHLIGHTS) {
      for (const locale of HIGHLIGHT_LOCALES)
        expect(h.text[locale], `${h.id} [${locale}]`).toMatch(attribution[locale]);
      expect(h.source.citation).toContain(h.source.date);
      if (h.figure) for (const locale of HIGHLIGHT_LOCALES) expect(h.figure.label[locale]).not.toBe('');
    }
  });

  it('states each figure in the text it belongs to', () => {
    for (const h of DEMO_HIGHLIGHTS.filter((x) => x.figure)) {
      const value = h.figure!.value;
      const spaced = [String(value), value.toLocaleString('en-US'), value.toLocaleString('en-US').replace(/,/g, ' ')];
      for (const locale of HIGHLIGHT_LOCALES) {
        if (h.id === 'collective-offers') continue; // "six", spelled out in every language
        expect(
          spaced.some((s) => h.text[locale].includes(s)),
          `${h.id} [${locale}] should mention ${value}`,
        ).toBe(true);
      }
    }
  });

  it('has unique ids', () => {
    const ids = DEMO_HIGHLIGHTS.map((h) => h.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describeEachApi('demo data through the API', (api) => {
  it('makes public exactly the demo records marked for publication, published by the reviewer, not the author', async () => {
    const p = api().platform;
    await loadDemo(p);
    const res = await api().request('/api/public/records?limit=200');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { id: string; tags: string[] }[]; total: number };
    const documenter = await p.accounts.findUserByEmail(DEMO_ACCOUNTS.find((a) => a.role === 'documenter')!.email);
    const author = demoAuthor(documenter!.id);
    const staff = await p.records.list(author, { tag: DEMO_TAG, limit: 200 });
    expect(staff.total.value).toBe(DEMO_RECORDS.length);
    const keyOf = (tags: string[]) => tags.find((t) => t.startsWith('demo:'))?.slice('demo:'.length);
    const expected = DEMO_RECORDS.filter((r) => r.publish).map((r) => r.key);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(DEMO_RECORDS.length);
    expect(body.items.map((i) => keyOf(i.tags)).sort()).toEqual([...expected].sort());
    for (const item of staff.items) {
      const { tags } = await p.records.get(author, item.id);
      const isPublic = expected.includes(keyOf(tags) as (typeof expected)[number]);
      expect((await api().request(`/api/public/records/${item.id}`)).status).toBe(isPublic ? 200 : 404);
    }
    const published = staff.items.find((i) => i.status === 'published')!;
    const history = await p.records.revisions(author, published.id);
    const publication = history.find((rev) => rev.action.includes('published'));
    expect(publication).toBeDefined();
    expect(publication?.actorId).not.toBe(documenter!.id);
    expect(publication?.note).toMatch(/^Demo data/);

    // A second load publishes nothing again, and leaves a record a user took back as it is.
    const again = await loadDemo(p);
    expect(again.records).toMatchObject({ created: 0, published: 0 });
  });

  it('signs demo accounts in with the demo-only password', async () => {
    const p = api().platform;
    await loadDemo(p);
    const journalist = DEMO_ACCOUNTS.find((a) => a.role === 'journalist')!;
    const { res } = await login(api(), journalist.email, DEMO_ONLY_PASSWORD);
    expect(res.status).toBe(200);
    const wrong = await login(api(), journalist.email, 'not-the-demo-password');
    expect(wrong.res.status).toBe(401);
  });
});
