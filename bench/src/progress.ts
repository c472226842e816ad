/**
 * The bench's stderr line when a run starts, e.g. `[3/24] unpaced 1×50k · ours (21 left after this)`:
 * which workload runs now and how many remain. `position` counts from 1.
 */
export function formatRunStart(position: number, total: number, what: string): string {
  const left = total - position;
  return `[${position}/${total}] ${what} (${left === 0 ? 'the last one' : `${left} left after this`})`;
}
