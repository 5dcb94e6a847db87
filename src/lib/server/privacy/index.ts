import type { AuditLog } from '../audit/index.js';
import type { Tx, UnitOfWork } from '../db/index.js';
import { Problem } from '../http/problem.js';
import { describe, scan, type Finding, type GuardText, type ProtectedIdentity } from './guard.js';

export { describe as describeFinding, scan, pseudonymRevealsName } from './guard.js';
export type { Finding, FindingKind, GuardText, ProtectedIdentity } from './guard.js';

export interface PublicationGuardDeps {
  uow: UnitOfWork;
  audit: AuditLog;
  /** The people registry's decryption for the guard: audited there, one entry per person. */
  identities: (
    tx: Tx,
    personIds: string[],
    purpose: { actorId: string | null; entityType: string; entityId: string },
  ) => Promise<ProtectedIdentity[]>;
}

export interface PublicationCheck {
  entityType: string;
  entityId: string;
  texts: GuardText[];
  /** Protected persons linked to the item: their names and addresses must not appear. */
  personIds: string[];
  actorId: string;
  /** A reviewer's written reason to publish despite findings; goes to the audit chain. */
  override?: { reason: string };
}

/**
 * The PII guard as every publishing module calls it, before its own transaction: the decryptions are audited
 * even when the publication is then refused. Throws a 422 problem listing where (never what) it found something,
 * unless a reviewer overrides; an override is audited with the kinds of findings it waved through.
 */
export function createPublicationGuard(deps: PublicationGuardDeps) {
  return async function guardPublication(check: PublicationCheck): Promise<Finding[]> {
    const persons = await deps.uow.run((tx) =>
      deps.identities(tx, [...new Set(check.personIds)], {
        actorId: check.actorId,
        entityType: check.entityType,
        entityId: check.entityId,
      }),
    );
    const findings = scan(check.texts, persons);
    if (findings.length === 0) return findings;
    if (!check.override)
      throw new Problem(
        422,
        'pii-guard',
        `The PII guard found ${findings.length} thing(s) that must not be published. Change the text, or, as a ` +
          `reviewer, override with a written reason.`,
        { errors: findings.map((f) => ({ path: f.field, message: describe(f) })) },
      );
    const override = check.override;
    await deps.uow.run((tx) =>
      deps.audit.record(tx, {
        actorId: check.actorId,
        action: `${check.entityType}.pii-override`,
        entityType: check.entityType,
        entityId: check.entityId,
        change: { reason: override.reason, kinds: findings.map((f) => f.kind) },
      }),
    );
    return findings;
  };
}

export type GuardPublication = ReturnType<typeof createPublicationGuard>;
