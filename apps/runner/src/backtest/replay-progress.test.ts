import { describe, expect, it } from 'vitest';
import { formatReplayProgress } from './replay-progress.js';

describe('backtest progress line', () => {
  it('percent of the recorded time and frames replayed', () => {
    expect(formatReplayProgress({ entries: 1_234_567, doneMs: 720_000, spanMs: 1_600_000 })).toBe(
      'backtest: 45% of the recorded 26m40s, 1,234,567 frames replayed\n',
    );
  });

  it('hours for long recordings, never above 100%', () => {
    expect(formatReplayProgress({ entries: 10, doneMs: 9_000_000, spanMs: 7_500_000 })).toBe(
      'backtest: 100% of the recorded 2h05m, 10 frames replayed\n',
    );
  });

  it('frames only when the span is unknown (a recording that never ended)', () => {
    expect(formatReplayProgress({ entries: 42, doneMs: 1_000, spanMs: undefined })).toBe(
      'backtest: 42 frames replayed\n',
    );
  });
});
