#!/usr/bin/env node
import { runCli } from './cli-run.js';

/** `pnpm sim`: starts the simulator and stops it cleanly on Ctrl-C (SIGINT) or SIGTERM. */
async function main(): Promise<void> {
  const sim = await runCli(process.argv.slice(2), { out: (line) => process.stdout.write(`${line}\n`) });
  if (!sim) return;
  const shutdown = (): void => {
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
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
