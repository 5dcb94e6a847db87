import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { requireString, type Values } from '../command.js';
import { createContext, withPlatform } from '../context.js';
import { CliError, UsageError } from '../errors.js';

/** Writes the evidence bundle of a record: originals, manifest, custody, audit-chain entries and the chain head. */
export async function evidenceExport(values: Values): Promise<number> {
  const recordId = requireString(values, 'record');
  const out = path.resolve(requireString(values, 'out'));
  if (!out.endsWith('.zip')) throw new UsageError('--out must name a .zip file');
  const ctx = createContext();
  const { exportBundle } = await import('../../lib/server/evidence/index.js');
  const { Problem } = await import('../../lib/server/http/problem.js');
  try {
    const r = await withPlatform(ctx, (p) =>
      exportBundle({ evidence: p.evidence, audit: p.audit }, recordId, null, out),
    );
    console.log(`wrote ${out}: ${r.items} file(s), audit chain head at entry ${r.headSeq}`);
    return 0;
  } catch (err) {
    if (err instanceof Problem) throw new CliError(err.message);
    throw err;
  }
}

/** Checks a bundle offline (no database): hashes, custody against the chain, the chain up to its head. */
export async function evidenceVerify(values: Values): Promise<number> {
  const [file] = (values.positionals as string[] | undefined) ?? [];
  if (!file) throw new UsageError('give the bundle: corridor evidence verify BUNDLE.zip');
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const { verifyBundle } = await import('../../lib/server/evidence/bundle.js');
  const r = verifyBundle(new Uint8Array(bytes));
  if (r.ok) {
    console.log(
      `ok: ${r.files} file(s), ${r.custodyEntries} custody entries, ${r.auditEntries} audit entries, chain head ` +
        `${r.head?.seq ?? '?'} ${r.head?.hash ?? ''}`,
    );
    return 0;
  }
  console.error(`bundle does NOT verify (${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}):`);
  for (const p of r.problems) console.error(`  - ${p}`);
  return 1;
}
