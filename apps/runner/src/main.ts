#!/usr/bin/env node
// tsyringe reads constructor metadata through the Reflect API this polyfill installs: load it first.
import 'reflect-metadata';
import { runCli } from './cli/run-cli.js';

/** After the summary, everything is closed and the process exits by itself; this only reports a leak. */
const SHUTDOWN_WATCHDOG_MS = 1_500;

const code = await runCli(process.argv.slice(2), {
  stdout: { write: (text) => process.stdout.write(text) },
  stderr: { write: (text) => process.stderr.write(text) },
  env: process.env,
  terminal: process.stdout.isTTY === true && process.stderr.isTTY === true,
});
process.exitCode = code;
setTimeout(() => {
  process.stderr.write(
    `shutdown watchdog: still open after ${SHUTDOWN_WATCHDOG_MS} ms: ${process.getActiveResourcesInfo().join(', ')}; exiting\n`,
  );
  process.exit(code);
}, SHUTDOWN_WATCHDOG_MS).unref();
