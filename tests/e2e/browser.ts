import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';
import { describe } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';

export { CHROMIUM_PATH } from './chromium';

export const hasBrowser = existsSync(CHROMIUM_PATH);
if (!hasBrowser) {
  const message = `Chromium not found at ${CHROMIUM_PATH} (install it: apt-get install -y chromium)`;
  // CI sets CORRIDOR_REQUIRE_BROWSER=1 so that a missing browser fails the run instead of passing silently.
  if (process.env.CORRIDOR_REQUIRE_BROWSER === '1') throw new Error(message);
  console.warn(`\n  ⚠ e2e browser tests SKIPPED: ${message}\n`);
}

/** `describe` when Chromium is there, `describe.skip` (with the notice above) when it is not. */
export const describeWithBrowser = hasBrowser ? describe : describe.skip;

export interface BrowserHandle {
  browser: Browser;
  newContext: (options?: BrowserContextOptions) => Promise<BrowserContext>;
  close: () => Promise<void>;
}

/**
 * Debian's Chromium. Playwright's launch() gives it a fresh temporary profile directory and deletes it on close
 * (it refuses an explicit --user-data-dir), so no state leaks between runs.
 */
export async function launchBrowser(origin: string): Promise<BrowserHandle> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  return {
    browser,
    newContext: (options = {}) => browser.newContext({ baseURL: origin, locale: 'en-GB', ...options }),
    close: () => browser.close(),
  };
}
