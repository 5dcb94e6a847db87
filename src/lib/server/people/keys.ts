import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../core/config.js';
import { keyIdOf } from './crypto.js';

/**
 * Where the master keys live: never in the database. A key file in the data dir (the default, created on first
 * use) or the `CORRIDOR_MASTER_KEY` environment variable. Either holds one or more base64 keys, current first;
 * older keys stay listed while a rotation re-wraps the data keys that still use them.
 */
export interface MasterKeySource {
  /** Says where the keys come from, for error messages (never the keys). */
  readonly description: string;
  /** The configured keys, current first; empty when none is configured yet. Read again on each call. */
  load(): Buffer[];
  /** Stores a first key. Only called when no key is configured and nothing is encrypted yet. */
  create?(): Buffer;
  /** Puts a new current key in front of the others (rotation). */
  prepend?(key: Buffer): void;
  /** Leaves only the given keys (after a rotation, the old ones are no longer needed). */
  retain?(keyIds: Set<string>): void;
}

/** A configuration error: startup stops with its message (one line in the CLI), nothing is served. */
export class MasterKeyError extends ConfigError {}

export function parseKeys(text: string, description: string): Buffer[] {
  return text
    .split(/[\s,]+/)
    .filter((s) => s !== '' && !s.startsWith('#'))
    .map((s, i) => {
      const key = Buffer.from(s, 'base64url');
      if (key.length !== 32)
        throw new MasterKeyError(`${description}: key ${i + 1} is not a base64 encoding of 32 bytes`);
      return key;
    });
}

export const formatKey = (key: Buffer) => key.toString('base64url');

export function envKeySource(value: string): MasterKeySource {
  const description = 'the CORRIDOR_MASTER_KEY environment variable';
  return { description, load: () => parseKeys(value, description) };
}

export function fileKeySource(dataDir: string): MasterKeySource {
  const file = path.join(dataDir, 'master.key');
  const description = `the key file master.key in the data directory`;
  const write = (keys: Buffer[]) => {
    // Write then rename: a crash never leaves a half-written key file.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, keys.map(formatKey).join('\n') + '\n', { mode: 0o600 });
    renameSync(tmp, file);
  };
  return {
    description,
    load: () => (existsSync(file) ? parseKeys(readFileSync(file, 'utf8'), description) : []),
    create() {
      const key = randomBytes(32);
      writeFileSync(file, formatKey(key) + '\n', { mode: 0o600, flag: 'wx' });
      return key;
    },
    prepend(key) {
      write([key, ...this.load()]);
    },
    retain(keyIds) {
      write(this.load().filter((k) => keyIds.has(keyIdOf(k))));
    },
  };
}

/** Keys held in memory only: for tests and for a platform that never persists (a throwaway demo). */
export function memoryKeySource(initial: Buffer[] = [randomBytes(32)]): MasterKeySource {
  let keys = [...initial];
  return {
    description: 'an in-memory key',
    load: () => [...keys],
    create() {
      const key = randomBytes(32);
      keys = [key];
      return key;
    },
    prepend(key) {
      keys = [key, ...keys];
    },
    retain(keyIds) {
      keys = keys.filter((k) => keyIds.has(keyIdOf(k)));
    },
  };
}

/** The master keys by id, current first. Re-reads its source when it meets a key id it does not know. */
export class KeyRing {
  private keys = new Map<string, Buffer>();
  private currentId = '';

  constructor(private readonly source: MasterKeySource) {
    this.reload();
  }

  get description(): string {
    return this.source.description;
  }

  reload(): void {
    const keys = this.source.load();
    this.keys = new Map(keys.map((k) => [keyIdOf(k), k]));
    this.currentId = keys[0] ? keyIdOf(keys[0]) : '';
  }

  get empty(): boolean {
    return this.keys.size === 0;
  }

  ids(): string[] {
    return [...this.keys.keys()];
  }

  current(): { id: string; key: Buffer } {
    if (!this.currentId) throw new MasterKeyError(`No master key is configured (${this.source.description}).`);
    return { id: this.currentId, key: this.keys.get(this.currentId)! };
  }

  get(id: string): Buffer | undefined {
    if (!this.keys.has(id)) this.reload(); // another process may have rotated
    return this.keys.get(id);
  }

  /**
   * Checks the keys against the key ids the database uses, before anything is served. A missing or wrong key stops
   * startup with a clear message; a first key is created only when nothing is encrypted yet, never over data.
   */
  ensure(usedKeyIds: string[]): void {
    const missing = usedKeyIds.filter((id) => !this.keys.has(id));
    if (this.empty && usedKeyIds.length === 0) {
      if (!this.source.create)
        throw new MasterKeyError(`No master key is configured (${this.source.description}); set one.`);
      this.source.create();
      this.reload();
      return;
    }
    if (this.empty)
      throw new MasterKeyError(
        `No master key is configured, yet the database holds encrypted identities (key ${usedKeyIds.join(', ')}). ` +
          `Restore the master key (${this.source.description}) from your backup; Corridor will not create a new ` +
          `key over existing data.`,
      );
    if (missing.length)
      throw new MasterKeyError(
        `The configured master key does not match the database: identities are encrypted under key ` +
          `${missing.join(', ')}, and ${this.source.description} holds ${this.ids().join(', ')}. ` +
          `Restore the right key; nothing was started.`,
      );
  }

  rotate(): { id: string } {
    if (!this.source.prepend) throw new MasterKeyError(`Keys from ${this.source.description} cannot be rotated here.`);
    this.source.prepend(randomBytes(32));
    this.reload();
    return { id: this.currentId };
  }

  /** Forgets every key but the current one (once nothing uses the others). */
  retire(keep: Set<string>): void {
    this.source.retain?.(keep);
    this.reload();
  }
}
