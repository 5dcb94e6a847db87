import { redirect } from '@sveltejs/kit';
import { ROLE_PERMISSIONS } from '$lib/server/http/access.js';
import { workspaceRedirect } from '$lib/web/guard';
import { splitLocale } from '$lib/web/locale';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, url }) => {
  // hooks.server.ts already redirects full page loads; this covers client-side navigations (data requests).
  const target = workspaceRedirect(locals.user, splitLocale(url.pathname).path, url, locals.locale);
  if (target || !locals.user) redirect(303, target ?? '/');
  const user = locals.user;
  const granted = user.pendingSecondFactor ? [] : ROLE_PERMISSIONS[user.role];
  return {
    user,
    can: {
      manageUsers: granted.includes('users:manage'),
      readAudit: granted.includes('audit:read'),
      manageSettings: granted.includes('settings:manage'),
      readRegister: granted.includes('register:read'),
      readEvidence: granted.includes('evidence:read'),
      readPhotos: granted.includes('photos:read'),
      importRecords: granted.includes('records:import'),
      readCrisis: granted.includes('crisis:read'),
      readPeople: granted.includes('people:read'),
      writeReports: granted.includes('reports:write'),
      publishReports: granted.includes('reports:publish'),
    },
  };
};
