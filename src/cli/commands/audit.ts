import { createContext, withPlatform } from '../context.js';

export async function auditVerify(): Promise<number> {
  const ctx = createContext();
  const result = await withPlatform(ctx, (p) => p.audit.verify());
  if (result.ok) {
    console.log(`ok, ${result.checked} entries`);
    return 0;
  }
  console.error(
    `audit chain BROKEN at entry ${result.broken?.seq ?? '?'}: ${result.broken?.reason ?? 'unknown reason'}` +
      ` (${result.checked} entries verified before it; the head is at ${result.headSeq})`,
  );
  return 1;
}
