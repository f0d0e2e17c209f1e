#!/usr/bin/env node
// The TypeScript source in a checkout (src/ beside bin/), else the bundle: the image, the npm package and
// an app laid out by `node tools/build.ts --app` ship dist/ and no src/. Not "dist/ whenever it exists":
// a checkout's dist/ from some earlier `npm run build` would run stale code.
import { existsSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { fileURLToPath } from 'node:url';

// The image ships V8's code cache of dist/, primed at build by the user it runs as (Node keys the
// cache by uid): a cold start then skips most compiling. Elsewhere there is no such directory and
// nothing is cached. A stale or foreign entry is rejected by Node, never used.
const cache = new URL('../compile-cache', import.meta.url);
if (existsSync(cache)) enableCompileCache(fileURLToPath(cache));

const checkout = existsSync(new URL('../src', import.meta.url));
const { runCli } = await import(new URL(checkout ? '../src/cli.ts' : '../dist/cli.js', import.meta.url).href);
await runCli();
