import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseDuration } from '../cli/duration.js';
import { MAX_TIMER_DELAY_MS, setLongTimeout } from './long-timeout.js';
import { waitForEnd } from './wait-for-end.js';

const silentLogger = { debug() {}, info() {}, warn() {}, error() {} } as never;

describe('--duration beyond Node timer limit (2^31-1 ms, about 24.8 days)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    ['at the limit', MAX_TIMER_DELAY_MS],
    ['1 ms above the limit', MAX_TIMER_DELAY_MS + 1],
    ['1000h', parseDuration('1000h')!],
  ])('%s fires exactly once, at the full delay, not after 1 ms', (_name, delayMs) => {
    const fired = vi.fn();
    setLongTimeout(fired, delayMs);
    vi.advanceTimersByTime(delayMs - 1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS * 3);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('cancels whichever link of the chain is pending', () => {
    const fired = vi.fn();
    const cancel = setLongTimeout(fired, MAX_TIMER_DELAY_MS * 2 + 5);
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS + 1);
    cancel();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS * 3);
    expect(fired).not.toHaveBeenCalled();
  });

  it('a run of 1000h ends by duration after 1000h, leaving no timer', async () => {
    expect(parseDuration('1000h')).toBe(3_600_000_000);
    let reason: string | undefined;
    void waitForEnd({ durationMs: parseDuration('1000h')!, handleSignals: false, logger: silentLogger }).then(
      (value) => {
        reason = value;
      },
    );
    await vi.advanceTimersByTimeAsync(3_600_000_000 - 1);
    expect(reason).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(reason).toBe('duration');
    expect(vi.getTimerCount()).toBe(0);
  });
});
