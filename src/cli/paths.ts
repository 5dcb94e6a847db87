import { fileURLToPath } from 'node:url';

/** The package root, found from this file so that `npx corridor` works from any directory. */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

export const buildHandlerUrl = new URL('../../build/handler.js', import.meta.url);
