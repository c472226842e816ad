import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from './clock.js';
import { ConfigError } from './errors.js';

describe('ManualClock', () => {
  it('starts where told and moves only when advanced', () => {
    const clock = new ManualClock(5_000);
    expect(clock.now()).toBe(5_000);
    clock.advance(250);
    expect(clock.now()).toBe(5_250);
  });

  it('fires timers in due order, ties in creation order, each at its due time', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 30);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => fired.push(`b1@${clock.now()}`), 20);
    clock.setTimeout(() => fired.push(`b2@${clock.now()}`), 20);
    clock.advance(25);
    expect(fired).toEqual(['a@10', 'b1@20', 'b2@20']);
    expect(clock.now()).toBe(25);
    expect(clock.pendingTimers).toBe(1);
    expect(clock.nextTimerDelay()).toBe(5);
    clock.advance(5);
    expect(fired.at(-1)).toBe('c@30');
    expect(clock.nextTimerDelay()).toBeUndefined();
  });

  it('fires timers scheduled by callbacks within the same advance when they fall due', () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    const tick = (): void => {
      fired.push(clock.now());
      clock.setTimeout(tick, 10);
    };
    clock.setTimeout(tick, 10);
    clock.advance(35);
    expect(fired).toEqual([10, 20, 30]);
    expect(clock.pendingTimers).toBe(1);
    expect(clock.nextTimerDelay()).toBe(5);
  });

  it('a zero or negative delay fires on the next advance, even advance(0)', () => {
    const clock = new ManualClock(0);
    let count = 0;
    clock.setTimeout(() => count++, 0);
    clock.setTimeout(() => count++, -5);
    clock.setTimeout(() => count++, Number.NaN);
    clock.advance(0);
    expect(count).toBe(3);
  });

  it('clearTimeout cancels a pending timer, including from another callback; unknown handles are ignored', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    const later = clock.setTimeout(() => fired.push('later'), 20);
    clock.setTimeout(() => {
      fired.push('first');
      clock.clearTimeout(later);
    }, 10);
    const cancelled = clock.setTimeout(() => fired.push('cancelled'), 5);
    clock.clearTimeout(cancelled);
    clock.clearTimeout(undefined);
    clock.clearTimeout({});
    clock.advance(100);
    expect(fired).toEqual(['first']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('advanceTo moves to an absolute time and refuses to go back', () => {
    const clock = new ManualClock(1_000);
    let fired = false;
    clock.setTimeout(() => {
      fired = true;
    }, 500);
    clock.advanceTo(1_500);
    expect(fired).toBe(true);
    expect(clock.now()).toBe(1_500);
    expect(() => clock.advanceTo(1_000)).toThrow(ConfigError);
    expect(() => clock.advance(-1)).toThrow(/cannot advance by -1 ms/);
    expect(() => clock.advance(Number.NaN)).toThrow(ConfigError);
  });

  it('advanceAsync drives async code that awaits a timer and then schedules the next', async () => {
    const clock = new ManualClock(0);
    const wakeups: number[] = [];
    const loop = (async () => {
      for (let i = 0; i < 3; i++) {
        await new Promise<void>((resolve) => clock.setTimeout(resolve, 100));
        wakeups.push(clock.now());
      }
    })();
    await clock.advanceAsync(300);
    expect(wakeups).toEqual([100, 200, 300]);
    expect(clock.pendingTimers).toBe(0);
    await loop;
  });

  it('advance is synchronous: a continuation after an awaited timer runs only after it returns', async () => {
    const clock = new ManualClock(0);
    const wakeups: number[] = [];
    void (async () => {
      for (let i = 0; i < 3; i++) {
        await new Promise<void>((resolve) => clock.setTimeout(resolve, 100));
        wakeups.push(clock.now());
      }
    })();
    clock.advance(300);
    await new Promise((resolve) => setImmediate(resolve));
    expect(wakeups).toEqual([300]);
    expect(clock.nextTimerDelay()).toBe(100);
    await clock.advanceAsync(200);
    expect(wakeups).toEqual([300, 400, 500]);
  });
});

describe('systemClock', () => {
  it('reads the wall clock and runs real timers that can be cleared', async () => {
    const before = Date.now();
    expect(systemClock.now()).toBeGreaterThanOrEqual(before);
    let fired = false;
    const cancelled = systemClock.setTimeout(() => {
      fired = true;
    }, 1);
    systemClock.clearTimeout(cancelled);
    systemClock.clearTimeout(undefined);
    await new Promise<void>((resolve) => systemClock.setTimeout(resolve, 5));
    expect(fired).toBe(false);
  });
});
