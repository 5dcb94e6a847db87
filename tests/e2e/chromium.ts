/**
 * Debian's Chromium and the flags that work for it in containers and CI: shared by the e2e browser
 * (`browser.ts`) and `npm run lighthouse`, which must not load vitest.
 */
export const CHROMIUM_PATH = process.env.CORRIDOR_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
