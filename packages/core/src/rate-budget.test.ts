import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { ConfigError } from './errors.js';
import { RateBudget } from './rate-budget.js';

function budget(limit = 10, windowMs = 1_000): { clock: ManualClock; budget: RateBudget } {
  const clock = new ManualClock(0);
  return { clock, budget: new RateBudget({ limit, windowMs, clock }) };
}

describe('RateBudget', () => {
  it('takes weight until the limit, then says how long until the oldest spending leaves the window', () => {
    const { clock, budget: b } = budget(10, 1_000);
    expect(b.tryTake(4)).toBe(true);
    clock.advance(200);
    expect(b.tryTake(4)).toBe(true);
    clock.advance(100);
    expect(b.tryTake(2)).toBe(true);
    expect(b.usedWeight).toBe(10);
    expect(b.tryTake(1)).toBe(false);
    // The first 4 (taken at t=0) leave at t=1000; now is t=300.
    expect(b.delayFor(1)).toBe(700);
    // 5 needs the first two entries (4 + 4) gone: the second leaves at t=1200.
    expect(b.delayFor(5)).toBe(900);
  });

  it('frees the window as time passes', () => {
    const { clock, budget: b } = budget(10, 1_000);
    expect(b.tryTake(10)).toBe(true);
    clock.advance(999);
    expect(b.tryTake(1)).toBe(false);
    clock.advance(1);
    expect(b.usedWeight).toBe(0);
    expect(b.tryTake(10)).toBe(true);
  });

  it('lets a request heavier than the whole limit through once the window is empty', () => {
    const { clock, budget: b } = budget(10, 1_000);
    expect(b.tryTake(1)).toBe(true);
    expect(b.delayFor(50)).toBe(1_000);
    clock.advance(1_000);
    expect(b.tryTake(50)).toBe(true);
  });

  it('observeUsed raises the local count to what the exchange reports, never lowers it', () => {
    const { clock, budget: b } = budget(10, 1_000);
    b.tryTake(2);
    b.observeUsed(8);
    expect(b.usedWeight).toBe(8);
    expect(b.tryTake(3)).toBe(false);
    b.observeUsed(1);
    expect(b.usedWeight).toBe(8);
    b.observeUsed(Number.NaN);
    b.observeUsed(Number.POSITIVE_INFINITY);
    b.observeUsed(-4);
    expect(b.usedWeight).toBe(8);
    clock.advance(1_000);
    expect(b.usedWeight).toBe(0);
    expect(b.tryTake(10)).toBe(true);
  });

  it('blockUntil holds every request until the block ends, and only extends a block', () => {
    const { clock, budget: b } = budget(10, 1_000);
    b.blockUntil(5_000);
    b.blockUntil(3_000);
    expect(b.blockedUntil).toBe(5_000);
    expect(b.delayFor(1)).toBe(5_000);
    expect(b.tryTake(1)).toBe(false);
    clock.advance(4_999);
    expect(b.delayFor(1)).toBe(1);
    clock.advance(1);
    expect(b.blockedUntil).toBe(0);
    expect(b.tryTake(1)).toBe(true);
  });

  it('take waits on the clock until the weight fits, and stops when aborted', async () => {
    const { clock, budget: b } = budget(2, 1_000);
    b.tryTake(2);
    let taken = false;
    const waiting = b.take(1).then(() => {
      taken = true;
    });
    await clock.advanceAsync(999);
    expect(taken).toBe(false);
    await clock.advanceAsync(1);
    await waiting;
    expect(taken).toBe(true);
    expect(b.usedWeight).toBe(1);

    b.tryTake(1);
    const controller = new AbortController();
    const aborted = b.take(1, controller.signal);
    controller.abort(new Error('shutting down'));
    await expect(aborted).rejects.toThrow('shutting down');
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects a bad configuration or weight with a ConfigError naming the value', () => {
    expect(() => new RateBudget({ limit: 0, windowMs: 1_000 })).toThrow(ConfigError);
    expect(() => new RateBudget({ limit: 10, windowMs: Number.NaN })).toThrow(/windowMs NaN/);
    const { budget: b } = budget();
    expect(() => b.tryTake(-1)).toThrow(/got -1/);
    expect(() => b.delayFor(Number.NaN)).toThrow(ConfigError);
  });
});
