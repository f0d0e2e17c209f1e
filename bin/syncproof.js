#!/usr/bin/env node
// The built CLI when there is one (the image, an npm install), else the TypeScript source (a checkout).
import { existsSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { fileURLToPath } from 'node:url';

// The image ships V8's code cache of dist/, primed at build by the user it runs as (Node keys the
// cache by uid): a cold start then skips most compiling. Elsewhere there is no such directory and
// nothing is cached. A stale or foreign entry is rejected by Node, never used.
const cache = new URL('../compile-cache', import.meta.url);
if (existsSync(cache)) enableCompileCache(fileURLToPath(cache));

const built = new URL('../dist/cli.js', import.meta.url);
const { runCli } = await import(existsSync(built) ? built.href : new URL('../src/cli.ts', import.meta.url).href);
await runCli();
