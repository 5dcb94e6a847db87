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
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const EVERY_ACCOUNT: Permission[] = ['session', 'account'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: [...EVERY_ACCOUNT, 'users:manage', 'audit:read', 'settings:manage'],
  documenter: EVERY_ACCOUNT,
  reviewer: EVERY_ACCOUNT,
  communicator: EVERY_ACCOUNT,
  coordinator: EVERY_ACCOUNT,
  journalist: EVERY_ACCOUNT,
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
