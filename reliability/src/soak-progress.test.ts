import { describe, expect, it } from 'vitest';
import { clock, formatSoakProgress } from './soak-progress.js';

describe('soak progress line', () => {
  it('elapsed, remaining and the counters', () => {
    expect(
      formatSoakProgress({
        elapsedMs: 80_000,
        totalMs: 600_000,
        faults: 27,
        snapshotsChecked: 12_345,
        violations: 0,
      }),
    ).toBe('progress 1m20s of 10m (8m40s left): 27 faults, 12,345 live snapshots checked, 0 violations');
  });

  it('never shows a negative remainder (the quiet phase and the checks run past the total)', () => {
    expect(
      formatSoakProgress({
        elapsedMs: 65_000,
        totalMs: 60_000,
        faults: 1,
        snapshotsChecked: 1,
        violations: 2,
      }),
    ).toContain('(0s left)');
  });

  it.each([
    [5_000, '5s'],
    [60_000, '1m'],
    [80_000, '1m20s'],
    [3_600_000, '60m'],
  ])('clock(%i) = %s', (ms, text) => {
    expect(clock(ms)).toBe(text);
  });
});
