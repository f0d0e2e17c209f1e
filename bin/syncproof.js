#!/usr/bin/env node
// The built CLI when there is one (the image, an npm install), else the TypeScript source (a checkout).
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli.js', import.meta.url);
const { runCli } = await import(existsSync(built) ? built.href : new URL('../src/cli.ts', import.meta.url).href);
await runCli();
