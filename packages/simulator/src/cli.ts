#!/usr/bin/env node
import { runCli } from './cli-run.js';
import type { Simulator } from './simulator.js';

/**
 * `pnpm sim`: starts the simulator and stops it cleanly on Ctrl-C (SIGINT) or SIGTERM. The handlers
 * are installed before anything starts or is printed: a Ctrl-C right after "Ctrl-C to stop" (or
 * during start-up) must stop the simulator and exit 0, not kill the process.
 */
async function main(): Promise<void> {
  let sim: Simulator | undefined;
  let stopRequested = false;
  const shutdown = (): void => {
    if (!sim) {
      stopRequested = true;
      return;
    }
    sim.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  sim = await runCli(process.argv.slice(2), { out: (line) => process.stdout.write(`${line}\n`) });
  if (!sim) {
    process.off('SIGINT', shutdown);
    process.off('SIGTERM', shutdown);
    if (stopRequested) process.exit(0);
    return;
  }
  if (stopRequested) shutdown();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
