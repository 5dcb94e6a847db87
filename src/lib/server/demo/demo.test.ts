import { describe, expect, it } from 'vitest';
import { createAccountsModule } from '../accounts/index.js';
import { createAuditModule } from '../audit/index.js';
import { createLogger } from '../core/logger.js';
import { unitOfWork } from '../db/index.js';
import { ROLES } from '../http/access.js';
import { describeEachApi, login } from '../testing/api.js';
import { describeEachDb, type DbContext } from '../testing/db.js';
import { DEMO_ACCOUNTS, DEMO_HIGHLIGHTS, DEMO_ONLY_PASSWORD, formatDemoAccounts, loadDemo } from './index.js';
import { createPortalModule, HIGHLIGHT_LOCALES, HIGHLIGHTS_SETTING_KEY } from '../portal/index.js';
import { createPlacesModule } from '../places/index.js';
import { DEMO_PLACES } from './places.js';

function demoTarget({ handle }: DbContext) {
  const { db, dialect } = handle;
  const { audit } = createAuditModule(db, dialect);
  const { portal } = createPortalModule(db, unitOfWork(db), audit);
  const accounts = createAccountsModule({
    db,
    dialect,
    uow: unitOfWork(db),
    audit,
    secret: 'demo-test-secret-0123456789abcdefghijklmnop',
    logger: createLogger('silent'),
  });
  const places = createPlacesModule({ db, dialect, uow: unitOfWork(db), audit }).service;
  return { audit, portal, accounts: accounts.service, places };
}

describeEachDb('demo loader', (ctx) => {
  it('creates one account per role and the highlights, all audited, on the first run', async () => {
    const target = demoTarget(ctx());
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
    expect(audit).toMatchObject({ ok: true, checked: ROLES.length + 1 + DEMO_PLACES.length });
    const [settingEntry] = await target.audit.list({ limit: 1, entityType: 'setting' });
    expect(settingEntry).toMatchObject({
      actorId: null,
      action: 'portal.highlights.replace',
      entityId: HIGHLIGHTS_SETTING_KEY,
    });
  });

  it('changes nothing and writes no audit entry when run again', async () => {
    const target = demoTarget(ctx());
    const before = await target.audit.verify();

    const again = await loadDemo(target);

    expect(again.accounts.some((a) => a.created)).toBe(false);
    expect(again.highlights.changed).toBe(false);
    expect(again.places.created).toBe(0);
    expect(await target.audit.verify()).toEqual(before);
    expect(formatDemoAccounts(again)).toContain('already there');
  });

  it('replaces outdated highlights, and audits the replacement', async () => {
    const target = demoTarget(ctx());
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

describeEachApi('demo accounts', (api) => {
  it('sign in with the demo-only password', async () => {
    const p = api().platform;
    await loadDemo(p);
    const journalist = DEMO_ACCOUNTS.find((a) => a.role === 'journalist')!;
    const { res } = await login(api(), journalist.email, DEMO_ONLY_PASSWORD);
    expect(res.status).toBe(200);
    const wrong = await login(api(), journalist.email, 'not-the-demo-password');
    expect(wrong.res.status).toBe(401);
  });
});
