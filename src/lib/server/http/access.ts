/**
 * Roles and permissions. Each API route declares one permission (`x-permission` in its OpenAPI definition); a role
 * holds a set of permissions. A route without a declared permission is denied to everyone.
 */
export const ROLES = ['admin', 'documenter', 'reviewer', 'communicator', 'coordinator', 'journalist'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** Anyone, signed in or not. */
  'public',
  /** Any signed-in account, including one that still has to enrol its second factor. */
  'session',
  /** Any fully signed-in account: their own profile, password, 2FA and tokens. */
  'account',
  'users:manage',
  'audit:read',
  'settings:manage',
  /**
   * The documentation register's staff reads: every staff role, not journalists. Places are read with it rather
   * than publicly: a gazetteer of towns is public knowledge, but documenters also add sites (a shelter, a crossing
   * point, a witness's street) whose existence in the register can itself be sensitive. The public portal will show
   * places through published records instead. The rights taxonomy, which holds nothing sensitive, is public.
   */
  'register:read',
  /**
   * See groups of accounts and their members, and the directory of active accounts (names and roles, no emails):
   * staff name them on restricted records.
   */
  'groups:read',
  /** Edit the rights taxonomy. */
  'taxonomy:manage',
  /** Create, edit and delete places in the gazetteer. */
  'places:write',
  /** Create and edit records, move them between draft and review, name who may see a restricted one. */
  'records:write',
  /** Approve, publish (never one's own record: four eyes) and unpublish records. */
  'records:review',
  /**
   * Import records from CSV files: thousands of drafts at once, so a reviewer's or an admin's task rather than every
   * documenter's; imported records still go through the workflow.
   */
  'records:import',
  /** Register, edit and delete sources, and link them to records. */
  'sources:write',
  /** Grade sources on the Admiralty scale: a reviewer's judgement, kept apart from registering them. */
  'sources:grade',
  /** Record inquiries to state bodies and their responses, and link them to records. */
  'inquiries:write',
  /**
   * See the people registry: protected persons by pseudonym and role. Reading a real identity needs more: an
   * explicit grant for that person, checked by the people module, never a role alone (not even an admin's).
   */
  'people:read',
  /** Register protected persons and change them; grant access to an identity one already has access to. */
  'people:write',
  /** Write human stories and record the consent behind them. */
  'stories:write',
  /** Approve and publish stories (never one's own: four eyes), unpublish them, override the PII guard with a reason. */
  'stories:review',
  /**
   * Read the crisis dashboard: the crisis, disruptions, indicators with their observations, key figures and their
   * source ids, and recent changes. Staff roles; the public sees the counters through `public` routes.
   */
  'crisis:read',
  /**
   * Set the crisis and enter disruptions, indicators, observations and key figures: documenters enter outages and
   * observations (DOMAIN.md §2), reviewers and admins correct them. Every write is audited.
   */
  'crisis:write',
  /**
   * Create reports and build draft editions (previews) of them: the people who edit the office's publications,
   * reviewers and communicators, and admins. Building writes nothing but the draft; only published records enter it.
   */
  'reports:write',
  /**
   * Publish an edition: it is then frozen for good and quoted by the press, so a reviewer's (or admin's) decision,
   * like publishing a record.
   */
  'reports:publish',
  /**
   * See the evidence vault: files, provenance, chain of custody, metadata-free derivatives. Staff who document or
   * curate pictures (documenters, reviewers, communicators) and admins; coordinators and journalists never.
   */
  'evidence:read',
  /** Add files to the vault (resumable or single upload) and link them to records and sources. */
  'evidence:write',
  /**
   * Camera, capture time and GPS of a file, and the original bytes (which carry them): documenters and reviewers
   * only, not even admins. A leaked GPS tag or face can get someone hurt.
   */
  'evidence:metadata',
  /** Redact an image (solid or mosaic rectangles): a reviewer's judgement, like publication. */
  'evidence:redact',
  /** The photo bank as staff see it: drafts, consents, usage rights. */
  'photos:read',
  /** Create and edit photo bank items, record consents and their withdrawal. */
  'photos:write',
  /** Publish and unpublish photo bank items (the consent gate still decides): reviewers and communicators. */
  'photos:review',
  /** Download published photos in sizes with their credit and caption (each download logged). */
  'photos:download',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const EVERY_ACCOUNT: Permission[] = ['session', 'account'];
const STAFF: Permission[] = [...EVERY_ACCOUNT, 'register:read', 'groups:read', 'crisis:read'];

/** The evidence vault and the photo bank (issue 4), by role. */
const VAULT: Record<Role, Permission[]> = {
  admin: ['evidence:read', 'evidence:write', 'photos:read', 'photos:write', 'photos:download'],
  documenter: [
    'evidence:read',
    'evidence:write',
    'evidence:metadata',
    'photos:read',
    'photos:write',
    'photos:download',
  ],
  reviewer: [
    'evidence:read',
    'evidence:write',
    'evidence:metadata',
    'evidence:redact',
    'photos:read',
    'photos:write',
    'photos:review',
    'photos:download',
  ],
  communicator: ['evidence:read', 'evidence:write', 'photos:read', 'photos:write', 'photos:review', 'photos:download'],
  coordinator: ['photos:read', 'photos:download'],
  journalist: ['photos:download'],
};

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: [
    ...STAFF,
    ...VAULT.admin,
    'users:manage',
    'audit:read',
    'settings:manage',
    'taxonomy:manage',
    'places:write',
    'sources:write',
    'sources:grade',
    'inquiries:write',
    'records:write',
    'records:review',
    'records:import',
    'people:read',
    'people:write',
    'stories:write',
    'stories:review',
    'crisis:write',
    'reports:write',
    'reports:publish',
  ],
  documenter: [
    ...STAFF,
    ...VAULT.documenter,
    'places:write',
    'records:write',
    'sources:write',
    'inquiries:write',
    'people:read',
    'people:write',
    'stories:write',
    'crisis:write',
  ],
  reviewer: [
    ...STAFF,
    ...VAULT.reviewer,
    'places:write',
    'records:write',
    'records:review',
    'records:import',
    'sources:write',
    'sources:grade',
    'people:read',
    'people:write',
    'stories:write',
    'stories:review',
    'crisis:write',
    'reports:write',
    'reports:publish',
  ],
  communicator: [...STAFF, ...VAULT.communicator, 'reports:write'],
  coordinator: [...STAFF, ...VAULT.coordinator],
  journalist: [...EVERY_ACCOUNT, ...VAULT.journalist],
};

export function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}

/** Who is calling. `pendingSecondFactor` means a password-only session for a role that must use 2FA. */
export interface Actor {
  userId: string;
  role: Role;
  via: 'session' | 'token';
  sessionId?: string;
  pendingSecondFactor: boolean;
}

export function allows(actor: Actor | null, permission: Permission): boolean {
  if (permission === 'public') return true;
  if (!actor) return false;
  if (permission === 'session') return true;
  if (actor.pendingSecondFactor) return false;
  return ROLE_PERMISSIONS[actor.role].includes(permission);
}
