import type { AuditLog } from '../audit/index.js';
import { canonicalJson } from '../core/canonical.js';
import { nowIso } from '../core/ids.js';
import { unitOfWork, type Db, type Executor } from '../db/index.js';
import { ROLES, type Role } from '../http/access.js';
import { DEMO_HIGHLIGHTS } from './highlights.js';
import { DemoSettingsRepository } from './repository.js';
import { HighlightListSchema, type Highlight } from './schema.js';

export { DEMO_HIGHLIGHTS } from './highlights.js';
export { HighlightSchema, HighlightListSchema, HIGHLIGHT_LOCALES, type Highlight } from './schema.js';

export const HIGHLIGHTS_SETTING_KEY = 'portal.highlights';

/**
 * DEMO ONLY. One shared, published password for the demo accounts, so that anyone trying Corridor can sign in as
 * each role. Never load demo data into a deployment that holds real records.
 */
export const DEMO_ONLY_PASSWORD = 'corridor-demo-only';

export const DEMO_EMAIL_DOMAIN = 'demo.corridor.test';

export const DEMO_ACCOUNTS: readonly { email: string; role: Role; displayName: string }[] = ROLES.map((role) => ({
  email: `${role}@${DEMO_EMAIL_DOMAIN}`,
  role,
  displayName: `Demo ${role[0]!.toUpperCase()}${role.slice(1)}`,
}));

/** What the loader needs from the accounts service; the platform's service fits it. */
export interface DemoAccountsPort {
  findUserByEmail(email: string): Promise<unknown>;
  createUser(
    input: { email: string; displayName?: string; role: Role; password: string },
    actorId: string | null,
  ): Promise<unknown>;
}

/** The parts of a platform the loader writes through. */
export interface DemoTarget {
  database: { db: Db };
  audit: AuditLog;
  accounts: DemoAccountsPort;
}

export interface DemoResult {
  accounts: { email: string; role: Role; created: boolean }[];
  highlights: { count: number; changed: boolean };
}

const repo = new DemoSettingsRepository();

/**
 * Loads the demo accounts and portal highlights. Idempotent: whatever already exists is left alone, so a second run
 * writes nothing and adds no audit entry. Writes are attributed to the system (actor null).
 */
export async function loadDemo(target: DemoTarget): Promise<DemoResult> {
  const accounts: DemoResult['accounts'] = [];
  for (const a of DEMO_ACCOUNTS) {
    const exists = Boolean(await target.accounts.findUserByEmail(a.email));
    if (!exists)
      await target.accounts.createUser(
        { email: a.email, displayName: a.displayName, role: a.role, password: DEMO_ONLY_PASSWORD },
        null,
      );
    accounts.push({ email: a.email, role: a.role, created: !exists });
  }

  const { db } = target.database;
  const value = canonicalJson(DEMO_HIGHLIGHTS);
  const changed = await unitOfWork(db).run(async (tx) => {
    if ((await repo.get(tx, HIGHLIGHTS_SETTING_KEY)) === value) return false;
    await repo.put(tx, HIGHLIGHTS_SETTING_KEY, value, nowIso());
    await target.audit.record(tx, {
      actorId: null,
      action: 'settings.update',
      entityType: 'setting',
      entityId: HIGHLIGHTS_SETTING_KEY,
      change: { key: HIGHLIGHTS_SETTING_KEY, value },
    });
    return true;
  });
  return { accounts, highlights: { count: DEMO_HIGHLIGHTS.length, changed } };
}

/** The portal highlights, for the public home page; empty until `corridor demo` (or an editor) stores some. */
export async function listHighlights(db: Executor): Promise<Highlight[]> {
  const raw = await repo.get(db, HIGHLIGHTS_SETTING_KEY);
  if (raw === undefined) return [];
  return HighlightListSchema.parse(JSON.parse(raw));
}

/** The accounts table printed after a demo load; the password line says loudly that it is for demos only. */
export function formatDemoAccounts(result: DemoResult): string {
  const width = Math.max(...result.accounts.map((a) => a.email.length));
  const lines = result.accounts.map(
    (a) => `  ${a.role.padEnd(13)} ${a.email.padEnd(width)}  ${a.created ? 'created' : 'already there'}`,
  );
  return [
    'Demo accounts',
    `  ${'role'.padEnd(13)} ${'email'.padEnd(width)}`,
    ...lines,
    `  password for all of them: ${DEMO_ONLY_PASSWORD}   (DEMO ONLY: never use demo data on a real deployment)`,
    '  Roles that require two-factor authentication (admin, by default) enrol an authenticator app at first sign-in.',
    `  ${result.highlights.count} portal highlights from the seed documents ${result.highlights.changed ? 'stored' : 'already stored'}.`,
  ].join('\n');
}
