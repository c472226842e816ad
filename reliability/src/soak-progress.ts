export interface SoakCounters {
  readonly elapsedMs: number;
  readonly totalMs: number;
  readonly faults: number;
  readonly snapshotsChecked: number;
  readonly violations: number;
}

/** The soak's stderr line every 10 s, e.g. `progress 1m20s of 10m (8m40s left): 27 faults, …`. */
export function formatSoakProgress(counters: SoakCounters): string {
  const left = Math.max(0, counters.totalMs - counters.elapsedMs);
  return (
    `progress ${clock(counters.elapsedMs)} of ${clock(counters.totalMs)} (${clock(left)} left): ` +
    `${counters.faults} faults, ${counters.snapshotsChecked.toLocaleString('en-US')} live snapshots checked, ` +
    `${counters.violations} violations`
  );
}

/** 80_000 → '1m20s', 600_000 → '10m', 5_000 → '5s'. */
export function clock(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return `${rest}s`;
  return rest === 0 ? `${minutes}m` : `${minutes}m${rest}s`;
}
