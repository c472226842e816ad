#!/usr/bin/env node
// A committed launcher, so that `pnpm install` can link the command before the first build.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('arbitrage-feed is not built yet (dist/main.js is missing): run `pnpm build` first\n');
  process.exit(1);
}
await import(entry.href);
