import { randomBytes } from 'node:crypto';
import { CliError } from '../errors.js';
import { createContext, withPlatform } from '../context.js';

/**
 * Re-wraps every protected identity's data key with a new master key, while the server keeps running. With the key
 * file, the new key is made here and the old one dropped once nothing uses it; with CORRIDOR_MASTER_KEY, the
 * operator puts the new key first in the variable (`corridor keys generate`), restarts, then runs this.
 */
export async function keysRotate(): Promise<number> {
  const ctx = createContext();
  const fromEnv = ctx.config.masterKey !== undefined;
  const r = await withPlatform(ctx, (p) => p.people.rotate({ newKey: !fromEnv }));
  if (r.failed.length)
    throw new CliError(
      `${r.rewrapped} identities re-wrapped with key ${r.keyId}, but ${r.failed.length} could not be opened ` +
        `(${r.failed.join(', ')}): their master key is not configured. The old keys were kept.`,
    );
  console.log(
    `master key ${r.keyId} now protects every identity (${r.rewrapped} re-wrapped)` +
      (fromEnv ? '; remove the older keys from CORRIDOR_MASTER_KEY' : '; older keys removed from master.key'),
  );
  return 0;
}

/** A fresh master key for CORRIDOR_MASTER_KEY, on stdout only. */
export function keysGenerate(): Promise<number> {
  console.log(randomBytes(32).toString('base64url'));
  return Promise.resolve(0);
}
