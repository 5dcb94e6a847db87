import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Envelope encryption of protected identities. Each person has a data key of their own (AES-256-GCM); the data key
 * is stored only wrapped (encrypted) by a master key that never enters the database. A dump of the database alone
 * therefore reveals nothing, and rotating the master key re-wraps small data keys instead of re-encrypting data.
 *
 * Every ciphertext is bound to where it belongs through GCM's associated data (person id, field, key id), so a
 * ciphertext copied onto another person or field fails to open rather than showing the wrong identity.
 */

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';

export class CorruptCiphertextError extends Error {
  constructor(what: string) {
    super(`${what} cannot be decrypted: the stored ciphertext is damaged or belongs elsewhere`);
  }
}

/** A master key's public name: derived from the key, so a wrong key can be recognised without trying it. */
export function keyIdOf(key: Buffer): string {
  return createHmac('sha256', key).update('corridor master key id').digest('hex').slice(0, 16);
}

export function newDataKey(): Buffer {
  return randomBytes(32);
}

export function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ct]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

export function open(key: Buffer, sealed: string, aad: string, what: string): Buffer {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new CorruptCiphertextError(what);
  const [iv, tag, ct] = parts.slice(1).map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer];
  if (iv.length !== 12 || tag.length !== 16) throw new CorruptCiphertextError(what);
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch {
    throw new CorruptCiphertextError(what);
  }
}

export const wrapAad = (personId: string, keyId: string) => `person-key:${personId}:${keyId}`;
export const fieldAad = (personId: string) => `person-identity:${personId}`;
