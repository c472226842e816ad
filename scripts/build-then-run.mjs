#!/usr/bin/env node
// `pnpm paper`, `pnpm sim`, …: build one package (and what it needs) with progress on stderr, then run
// its entry point. Usage: node scripts/build-then-run.mjs <package> <entry.js> [args…]
//
// package.json starts it with `exec`, so that no shell sits between pnpm and this process: on Ctrl-C,
// dash (Debian's sh) kills itself with SIGINT once its child has exited, even when the child exited 0,
// and pnpm then reports `ELIFECYCLE Command failed`. .pnpmfile.cjs keeps pnpm's header off stdout.
import { buildWithProgress } from './build-with-progress.mjs';
import { runChild } from './run-child.mjs';

const [pkg, entry, ...args] = process.argv.slice(2);
if (pkg === undefined || entry === undefined) {
  process.stderr.write('usage: node scripts/build-then-run.mjs <package> <entry.js> [args…]\n');
  process.exit(2);
}
const built = await buildWithProgress(pkg);
if (built !== 0) process.exit(built);
const { code, signal } = await runChild(entry, args);
// Ended by a signal: end the same way, so that the shell and pnpm see what really happened.
if (signal !== null) process.kill(process.pid, signal);
else process.exit(code ?? 1);
