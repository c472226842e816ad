import { readFileSync } from 'node:fs';

/**
 * Peak resident set size of this process in kB (VmHWM), read by the process itself: a child
 * process's rusage would include its parent's peak at fork time.
 */
export function peakRssKb(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error('VmHWM not found in /proc/self/status: peak RSS needs Linux procfs');
  return Number(match[1]);
}
