import * as m from '$lib/paraglide/messages';
import type { Role } from '$lib/server/http/access.js';

const NAMES: Record<Role, () => string> = {
  admin: m.role_admin,
  documenter: m.role_documenter,
  reviewer: m.role_reviewer,
  communicator: m.role_communicator,
  coordinator: m.role_coordinator,
  journalist: m.role_journalist,
};

export const ROLE_LIST = Object.keys(NAMES) as Role[];

export function roleName(role: Role): string {
  return NAMES[role]();
}
