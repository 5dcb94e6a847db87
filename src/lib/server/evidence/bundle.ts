import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { strToU8, unzipSync, Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import type { AuditEntry, AuditLog } from '../audit/index.js';
import { canonicalJson, sha256Hex } from '../core/canonical.js';
import { newId, nowIso } from '../core/ids.js';
import type { Actor } from '../http/access.js';
import { problems } from '../http/problem.js';
import type { CustodyEntry } from './schema.js';
import type { EvidenceService } from './service.js';

export const BUNDLE_FORMAT = 'corridor-evidence-bundle/1';

interface ManifestItem {
  id: string;
  code: string;
  title: string;
  sha256: string;
  size: number;
  mediaType: string;
  file: string;
  collections: {
    collectedBy: string | null;
    collectedAt: string;
    method: string;
    origin: string | null;
    tool: string | null;
    originalName: string;
  }[];
  custody: CustodyEntry[];
}

interface Manifest {
  format: string;
  bundleId: string;
  createdAt: string;
  recordId: string;
  items: ManifestItem[];
  audit: { entries: string; head: string; from: number };
}

const README = `Evidence bundle (Corridor)

manifest.json       every file: SHA-256, size, provenance and chain of custody
originals/          the files exactly as collected
audit/entries.json  the audit hash chain from the first custody entry of these files up to its head
audit/head.json     the head of the chain when the bundle was made

Check it offline: npx corridor evidence verify THIS.zip
By hand: the SHA-256 of each original must equal its manifest entry; the SHA-256 of the canonical JSON (keys
sorted) of each custody entry's "detail" must equal the "digest" of the audit entry it names; each audit entry's
hash is the SHA-256 of the canonical JSON of [seq, at, actorId, action, entityType, entityId, digest, prevHash],
and each prevHash is the previous entry's hash, up to the head.
`;

/**
 * Writes a bundle of every file linked to a record: the originals, a manifest of hashes, provenance and custody, the
 * audit-chain entries that cover them and the chain head. The export itself is first written to each file's custody,
 * so the bundle carries its own making. Files are stored, not compressed (they are mostly compressed already), and
 * streamed, so a large video never sits in memory.
 */
export async function exportBundle(
  deps: { evidence: EvidenceService; audit: AuditLog },
  recordId: string,
  actor: Actor | null,
  outPath: string,
): Promise<{ bundleId: string; items: number; headSeq: number }> {
  const ids = await deps.evidence.itemIdsOfRecord(recordId);
  if (ids.length === 0) throw problems.notFound('No evidence is linked to this record.');
  const bundleId = newId();
  await deps.evidence.recordExport(ids, actor, { recordId, bundleId });

  const items: ManifestItem[] = [];
  for (const id of ids) {
    const { row, collections } = await deps.evidence.exportView(id);
    items.push({
      id,
      code: row.code,
      title: row.title,
      sha256: row.sha256,
      size: Number(row.size),
      mediaType: row.media_type,
      file: `originals/${row.code}.${row.extension}`,
      collections: collections.map((c) => ({
        collectedBy: c.collected_by,
        collectedAt: c.collected_at,
        method: c.method,
        origin: c.origin,
        tool: c.tool,
        originalName: c.original_name,
      })),
      custody: await deps.evidence.custodyLog(id),
    });
  }
  const from = Math.min(...items.flatMap((i) => i.custody.map((c) => c.auditSeq)));
  const entries = await auditFrom(deps.audit, from);
  const head = entries.at(-1)!;
  const manifest: Manifest = {
    format: BUNDLE_FORMAT,
    bundleId,
    createdAt: nowIso(),
    recordId,
    items,
    audit: { entries: 'audit/entries.json', head: 'audit/head.json', from },
  };

  const out = createWriteStream(outPath, { mode: 0o600 });
  try {
    const done = new Promise<void>((resolve, reject) => {
      const zip = new Zip((err, chunk, final) => {
        if (err) return reject(err);
        out.write(chunk);
        if (final) out.end(() => resolve());
      });
      const addText = (name: string, text: string) => {
        const f = new ZipDeflate(name, { level: 6 });
        zip.add(f);
        f.push(strToU8(text), true);
      };
      (async () => {
        addText('README.txt', README);
        addText('manifest.json', JSON.stringify(manifest, null, 2));
        addText('audit/entries.json', JSON.stringify(entries, null, 1));
        addText('audit/head.json', JSON.stringify({ seq: head.seq, hash: head.hash }, null, 2));
        for (const item of items) {
          const f = new ZipPassThrough(item.file);
          zip.add(f);
          for await (const chunk of deps.evidence.openOriginal(item.sha256)) {
            f.push(chunk as Uint8Array);
            if (out.writableNeedDrain) await once(out, 'drain');
          }
          f.push(new Uint8Array(0), true);
        }
        zip.end();
      })().catch(reject);
    });
    await done;
  } catch (err) {
    out.destroy();
    await rm(outPath, { force: true });
    throw err;
  }
  return { bundleId, items: items.length, headSeq: head.seq };
}

/** Audit entries from `from` up to the head, in chain order (through the audit log's public list). */
async function auditFrom(audit: AuditLog, from: number): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await audit.list({ limit: 200, ...(before ? { before } : {}) });
    for (const e of page) if (e.seq >= from) out.push(e);
    const last = page.at(-1);
    if (!last || last.seq <= from || page.length < 200) break;
    before = last.seq;
  }
  return out.sort((a, b) => a.seq - b.seq);
}

export interface BundleVerification {
  ok: boolean;
  files: number;
  custodyEntries: number;
  auditEntries: number;
  head: { seq: number; hash: string } | null;
  /** Each thing that does not match, said exactly. Empty when ok. */
  problems: string[];
}

/** The audit chain's link hash, written out again here so that the check does not trust the code that wrote it. */
function linkHash(e: AuditEntry): string {
  return sha256Hex(canonicalJson([e.seq, e.at, e.actorId, e.action, e.entityType, e.entityId, e.digest, e.prevHash]));
}

/** Checks a bundle offline: every file against its hash, every custody entry against the chain, the chain to its head. */
export function verifyBundle(zipBytes: Uint8Array): BundleVerification {
  const problems: string[] = [];
  const result = (extra: Partial<BundleVerification> = {}): BundleVerification => ({
    ok: problems.length === 0,
    files: 0,
    custodyEntries: 0,
    auditEntries: 0,
    head: null,
    problems,
    ...extra,
  });
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zipBytes);
  } catch (err) {
    problems.push(`the file is not a readable ZIP archive (${(err as Error).message})`);
    return result();
  }
  const readJson = <T>(name: string): T | undefined => {
    const b = files[name];
    if (!b) {
      problems.push(`${name} is missing`);
      return undefined;
    }
    try {
      return JSON.parse(Buffer.from(b).toString('utf8')) as T;
    } catch {
      problems.push(`${name} is not valid JSON`);
      return undefined;
    }
  };
  const manifest = readJson<Manifest>('manifest.json');
  if (!manifest) return result();
  if (manifest.format !== BUNDLE_FORMAT) problems.push(`manifest.json: unknown format ${String(manifest.format)}`);
  const entries = readJson<AuditEntry[]>(manifest.audit?.entries ?? 'audit/entries.json') ?? [];
  const head = readJson<{ seq: number; hash: string }>(manifest.audit?.head ?? 'audit/head.json') ?? null;

  // The chain: contiguous, each entry's hash right, each linked to the one before, ending at the head.
  const bySeq = new Map<number, AuditEntry>();
  entries.forEach((e, i) => {
    bySeq.set(e.seq, e);
    if (linkHash(e) !== e.hash) problems.push(`audit entry ${e.seq} was altered: its hash does not match its content`);
    const prev = entries[i - 1];
    if (prev) {
      if (e.seq !== prev.seq + 1)
        problems.push(`audit entry ${prev.seq + 1} is missing (after ${prev.seq} comes ${e.seq})`);
      else if (e.prevHash !== prev.hash) problems.push(`audit entry ${e.seq} does not link to entry ${prev.seq}`);
    }
  });
  const last = entries.at(-1);
  if (head && last && (head.seq !== last.seq || head.hash !== last.hash))
    problems.push(
      `the chain head (${head.seq}, ${head.hash.slice(0, 12)}…) does not match the last entry (${last.seq})`,
    );
  if (entries.length && entries[0]!.seq !== manifest.audit.from)
    problems.push(`the audit entries start at ${entries[0]!.seq}, the manifest says ${manifest.audit.from}`);

  let custodyEntries = 0;
  const listed = new Set<string>();
  for (const item of manifest.items ?? []) {
    listed.add(item.file);
    const bytes = files[item.file];
    if (!bytes) problems.push(`${item.file} (${item.code}) is missing from the bundle`);
    else {
      const actual = sha256Hex(bytes);
      if (actual !== item.sha256)
        problems.push(`${item.file} (${item.code}): SHA-256 is ${actual}, the manifest says ${item.sha256}`);
      if (bytes.byteLength !== item.size)
        problems.push(`${item.file} (${item.code}): ${bytes.byteLength} bytes, the manifest says ${item.size}`);
    }
    let collected = false;
    item.custody.forEach((c, n) => {
      custodyEntries++;
      const where = `${item.code} custody entry ${n + 1} (${c.action}, audit ${c.auditSeq})`;
      const e = bySeq.get(c.auditSeq);
      if (!e) return problems.push(`${where}: its audit entry is not in the bundle`);
      if (e.entityType !== 'evidence' || e.entityId !== item.id)
        problems.push(`${where}: the audit entry is about ${e.entityType} ${e.entityId}, not this file`);
      if (e.action !== `evidence.${c.action}`) problems.push(`${where}: the audit entry says ${e.action}`);
      if (e.at !== c.at || e.actorId !== c.actorId)
        problems.push(`${where}: time or actor differ from the audit entry`);
      if (sha256Hex(canonicalJson(c.detail ?? null)) !== e.digest)
        problems.push(`${where}: its content does not match the audit entry's digest`);
      const d = c.detail as { sha256?: unknown } | null;
      if ((c.action === 'collected' || c.action === 'exported') && d?.sha256 !== item.sha256)
        problems.push(`${where}: it names SHA-256 ${String(d?.sha256)}, the manifest says ${item.sha256}`);
      if (c.action === 'collected') collected = true;
    });
    if (!collected) problems.push(`${item.code}: no "collected" entry in its chain of custody`);
  }
  for (const name of Object.keys(files))
    if (name.startsWith('originals/') && !listed.has(name))
      problems.push(`${name} is in the bundle but not in the manifest`);

  return result({
    files: manifest.items?.length ?? 0,
    custodyEntries,
    auditEntries: entries.length,
    head,
  });
}
