import { canonicalJson, sha256Hex } from '../core/canonical.js';
import { nowIso } from '../core/ids.js';
import type { Tx } from '../db/index.js';
import type { AuditRepository } from './repository.js';
import type { AuditEntry, AuditEvent, AuditQuery, AuditVerification } from './schema.js';

/** The link hash covers every stored field and the previous hash, so editing, deleting or reordering a row shows. */
export function linkHash(e: Omit<AuditEntry, 'hash'>): string {
  return sha256Hex(canonicalJson([e.seq, e.at, e.actorId, e.action, e.entityType, e.entityId, e.digest, e.prevHash]));
}

export class AuditLog {
  constructor(private readonly repo: AuditRepository) {}

  /** Appends to the chain inside the caller's transaction: the write and its entry commit or fail together. */
  async record(tx: Tx, event: AuditEvent): Promise<AuditEntry> {
    const head = await this.repo.lockHead(tx);
    const partial = {
      seq: head.seq + 1,
      at: nowIso(),
      actorId: event.actorId,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId,
      digest: sha256Hex(canonicalJson(event.change ?? null)),
      prevHash: head.hash,
    };
    const entry = { ...partial, hash: linkHash(partial) };
    await this.repo.append(tx, entry);
    return entry;
  }

  list(query: AuditQuery): Promise<AuditEntry[]> {
    return this.repo.list(query);
  }

  /** Walks the whole chain from genesis and stops at the first broken or missing link. */
  async verify(batch = 1000): Promise<AuditVerification> {
    const head = await this.repo.head();
    let prevHash = '0'.repeat(64);
    let expectedSeq = 1;
    let checked = 0;
    const fail = (seq: number, reason: string): AuditVerification => ({
      ok: false,
      checked,
      headSeq: head.seq,
      broken: { seq, reason },
    });
    for (;;) {
      const page = await this.repo.range(expectedSeq - 1, batch);
      if (page.length === 0) break;
      for (const e of page) {
        if (e.seq !== expectedSeq) return fail(expectedSeq, `entry ${expectedSeq} is missing (next is ${e.seq})`);
        if (e.prevHash !== prevHash) return fail(e.seq, `entry ${e.seq} does not link to entry ${e.seq - 1}`);
        if (linkHash(e) !== e.hash)
          return fail(e.seq, `entry ${e.seq} was altered: its hash does not match its content`);
        prevHash = e.hash;
        expectedSeq++;
        checked++;
      }
    }
    if (checked !== head.seq) return fail(checked + 1, `the chain ends at ${checked} but its head says ${head.seq}`);
    if (head.hash !== prevHash) return fail(head.seq, `the head hash does not match entry ${head.seq}`);
    return { ok: true, checked, headSeq: head.seq, broken: null };
  }
}
