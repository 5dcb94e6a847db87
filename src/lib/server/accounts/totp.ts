import { Secret, TOTP } from 'otpauth';

const PERIOD = 30;
const ISSUER = 'Corridor';

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secretBase32: string, label: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(secretBase32),
  });
}

export function totpUri(secretBase32: string, label: string): string {
  return totp(secretBase32, label).toString();
}

/**
 * The time step a code belongs to, accepting the previous, current and next 30 s window; null if it matches none.
 * Callers store the step and refuse any step at or below the last one used, so a code cannot be replayed.
 */
export function totpStep(secretBase32: string, code: string, now = Date.now()): number | null {
  const t = totp(secretBase32, 'x');
  const delta = t.validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return null;
  return t.counter({ timestamp: now }) + delta;
}
