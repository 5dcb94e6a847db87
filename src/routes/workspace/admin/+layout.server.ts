import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { LayoutServerLoad } from './$types';

// The API enforces every permission; this only spares a non-admin a page of refusals.
export const load: LayoutServerLoad = async ({ parent }) => {
  const { can } = await parent();
  if (!can.manageUsers && !can.readAudit && !can.manageSettings) error(403, { message: m.error_forbidden() });
};
