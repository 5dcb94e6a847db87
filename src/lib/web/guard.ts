import type { Locale } from '$lib/paraglide/runtime';
import type { Me } from '$lib/server/accounts/index.js';
import { localizePath } from './locale';

export const ENROL_PATH = '/workspace/enrol';

export function signInPath(locale: Locale, back?: string): string {
  const base = localizePath('/sign-in', locale);
  return back ? `${base}?redirectTo=${encodeURIComponent(back)}` : base;
}

/** Where a workspace request must go instead, or undefined when it may proceed. `path` is without the locale. */
export function workspaceRedirect(user: Me | null, path: string, url: URL, locale: Locale): string | undefined {
  if (!user) return signInPath(locale, url.pathname + url.search);
  if (user.pendingSecondFactor && path !== ENROL_PATH) return localizePath(ENROL_PATH, locale);
  return undefined;
}
