import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** Random bearer secrets (sessions, API tokens, invitation links). Only their SHA-256 is ever stored. */
export function randomToken(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

// The package's default algorithm is argon2id (its const enum cannot be imported under isolatedModules).
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/**
 * Verifying against a real hash of a throwaway password makes "no such account" cost as much time as "wrong
 * password", so response timing does not reveal which emails exist.
 */
export class DummyVerifier {
  private dummy: Promise<string> | undefined;
  async run(password: string): Promise<void> {
    this.dummy ??= hashPassword(randomToken());
    await verifyPassword(await this.dummy, password);
  }
}

/**
 * AES-256-GCM for small secrets at rest (TOTP seeds). The key is derived from the instance secret, which never
 * enters the database, so a stolen database alone does not yield second factors. `context` (the owner's id) is
 * bound as associated data, so a ciphertext moved to another row fails to decrypt.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secret: string, purpose: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'corridor', `corridor:${purpose}:v1`, 32));
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), data.toString('base64url'), cipher.getAuthTag().toString('base64url')].join(
      '.',
    );
  }

  open(sealed: string, context: string): string {
    const [version, iv, data, tag] = sealed.split('.');
    if (version !== 'v1' || !iv || data === undefined || !tag) throw new Error('unknown sealed secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
