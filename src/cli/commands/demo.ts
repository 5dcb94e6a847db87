import { formatDemoAccounts, loadDemo } from '../../lib/server/demo/index.js';
import { createContext, withPlatform } from '../context.js';

export async function demo(): Promise<number> {
  const ctx = createContext();
  const result = await withPlatform(ctx, (p) => loadDemo(p));
  console.log(formatDemoAccounts(result));
  return 0;
}
