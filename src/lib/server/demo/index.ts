import { ROLES, type Role } from '../http/access.js';
import type { PlacesService } from '../places/index.js';
import type { PortalService } from '../portal/index.js';
import { DEMO_HIGHLIGHTS } from './highlights.js';
import { DEMO_PLACES } from './places.js';

export { DEMO_HIGHLIGHTS } from './highlights.js';
export { DEMO_PLACES } from './places.js';

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
  accounts: DemoAccountsPort;
  portal: Pick<PortalService, 'replaceHighlights'>;
  places: Pick<PlacesService, 'list' | 'create'>;
}

export interface DemoResult {
  accounts: { email: string; role: Role; created: boolean }[];
  highlights: { count: number; changed: boolean };
  places: { count: number; created: number };
}

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

  const changed = await target.portal.replaceHighlights(DEMO_HIGHLIGHTS, null);

  // A place is there already when one of that type has the same preferred name; an admin's edits to it stay.
  let created = 0;
  for (const p of DEMO_PLACES) {
    const same = await target.places.list({ q: p.name, type: p.type });
    if (same.some((s) => s.name === p.name)) continue;
    await target.places.create(p, null);
    created += 1;
  }
  return {
    accounts,
    highlights: { count: DEMO_HIGHLIGHTS.length, changed },
    places: { count: DEMO_PLACES.length, created },
  };
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
    `  ${result.places.count} demo places in the gazetteer (${result.places.created} added now).`,
  ].join('\n');
}
