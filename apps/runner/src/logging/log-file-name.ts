import { join } from 'node:path';

/** `<dir>/arbitrage-runner-paper-20261206-130211-4242.log`: one file per run, sortable by start time. */
export function logFileName(dir: string, command: string, now: Date, pid: number): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return join(dir, `arbitrage-runner-${command}-${stamp}-${pid}.log`);
}
