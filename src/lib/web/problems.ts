import { getLocale } from '$lib/paraglide/runtime';
import * as m from '$lib/paraglide/messages';

/** The API's problem slugs (`urn:corridor:problem:<slug>`) that have a message in every language. */
const BY_SLUG: Record<string, () => string> = {
  unauthenticated: m.error_unauthenticated,
  'invalid-credentials': m.error_invalid_credentials,
  'totp-required': m.signin_totp_needed,
  'totp-invalid': m.error_totp_invalid,
  forbidden: m.error_forbidden,
  'not-found': m.error_not_found,
  conflict: m.error_conflict,
  validation: m.error_validation,
  csrf: m.error_csrf,
  'second-factor-required': m.error_second_factor,
  'too-large': m.error_too_large,
  'invitation-invalid': m.invite_invalid_unknown,
  'wrong-password': m.error_wrong_password,
  'email-taken': m.error_email_taken,
  'last-admin': m.error_last_admin,
  'self-change': m.error_self_change,
  'session-required': m.error_session_required,
};

export interface ProblemLike {
  status: number;
  slug: string;
  detail?: string;
  retryAfter?: number;
}

/** A problem in the reader's language; the API's English detail is kept only where no translation fits. */
export function problemMessage(p: ProblemLike): { message: string; detail?: string } {
  if (p.status === 429) {
    if (!p.retryAfter) return { message: m.error_rate_limited_soon() };
    const minutes = Math.max(1, Math.ceil(p.retryAfter / 60));
    const when = new Intl.RelativeTimeFormat(getLocale(), { numeric: 'auto' }).format(minutes, 'minute');
    return { message: m.error_rate_limited({ when }) };
  }
  const known = BY_SLUG[p.slug];
  // A conflict's slug is generic; its detail says which rule was hit, so keep it alongside.
  if (known) return { message: known(), detail: p.slug === 'conflict' ? p.detail : undefined };
  if (p.status >= 500 || p.status === 0) return { message: m.error_generic() };
  return { message: m.error_generic(), detail: p.detail };
}
