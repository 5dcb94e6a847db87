#!/usr/bin/env node
// The CLI is TypeScript that shares its source with the server; tsx compiles it on load, so there is no build step
// between editing a service and running a command. Paths resolve from this file, never from the caller's cwd.
import { register } from 'tsx/esm/api';

const unregister = register();
const { main } = await import(new URL('../src/cli/main.ts', import.meta.url).href);
// `serve` hands the TypeScript loader back before it imports the (plain JavaScript) build, which then loads at
// native speed instead of through the loader thread.
process.exitCode = await main(process.argv.slice(2), { releaseTypeScriptLoader: unregister });
// A one-shot command has closed its database by now; if a library left a handle open, do not hang forever.
setTimeout(() => process.exit(), 2000).unref();
