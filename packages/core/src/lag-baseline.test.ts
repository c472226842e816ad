import { describe, expect, it } from 'vitest';
import { LagBaseline, MAX_PLAUSIBLE_OFFSET_MS } from './lag-baseline.js';

const T0 = 1_800_000_000_000;

describe('LagBaseline', () => {
  it('takes a constant clock offset out: skew ahead or behind is never lag', () => {
    for (const skew of [-3_000, 0, 3_000]) {
      const baseline = new LagBaseline(60_000);
      for (let i = 0; i < 50; i++) {
        const now = T0 + i * 100;
        expect(baseline.lagOf(now, now - skew)).toBe(0);
      }
      expect(baseline.offsetMs).toBe(skew);
    }
  });

  it('reports the delay a message picked up above the fastest one, skew excluded', () => {
    const baseline = new LagBaseline(60_000);
    expect(baseline.offsetMs).toBeUndefined();
    expect(baseline.lagOf(T0, T0 - 2_005)).toBe(0);
    expect(baseline.lagOf(T0 + 100, T0 + 100 - 2_003)).toBe(0);
    expect(baseline.lagOf(T0 + 200, T0 + 200 - 2_003 - 1_200)).toBe(1_200);
    expect(baseline.lagOf(T0 + 300, T0 + 300 - 2_003 - 40)).toBe(40);
    expect(baseline.offsetMs).toBe(2_003);
  });

  it('forgets its minimum after the window, so a lasting offset change is absorbed', () => {
    const baseline = new LagBaseline(8_000);
    baseline.lagOf(T0, T0);
    // The local clock steps 2 s forward: lag at first ...
    expect(baseline.lagOf(T0 + 1_000, T0 - 1_000)).toBe(2_000);
    // ... absorbed once the old minimum left the window (8 slots of 1 s).
    expect(baseline.lagOf(T0 + 9_500, T0 + 7_500)).toBe(0);
    expect(baseline.offsetMs).toBe(2_000);
  });

  it('keeps a minimum inside the window', () => {
    const baseline = new LagBaseline(8_000);
    baseline.lagOf(T0, T0);
    expect(baseline.lagOf(T0 + 6_000, T0 + 5_000)).toBe(1_000);
  });

  it('ignores missing, absurd and non-finite timestamps without touching the baseline', () => {
    const baseline = new LagBaseline(60_000);
    baseline.lagOf(T0, T0 - 50);
    expect(baseline.lagOf(T0 + 1, 0)).toBeUndefined();
    expect(baseline.lagOf(T0 + 2, -5)).toBeUndefined();
    expect(baseline.lagOf(T0 + 3, Number.NaN)).toBeUndefined();
    expect(baseline.lagOf(T0 + 4, Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(baseline.lagOf(T0 + 5, T0 + MAX_PLAUSIBLE_OFFSET_MS + 10)).toBeUndefined();
    expect(baseline.lagOf(T0 + 6, 1e300)).toBeUndefined();
    expect(baseline.ignored).toBe(6);
    expect(baseline.offsetMs).toBe(50);
    expect(baseline.lagOf(T0 + 7, T0 + 7 - 50)).toBe(0);
  });

  it('a local clock stepped back keeps measuring into the newest slot', () => {
    const baseline = new LagBaseline(8_000);
    baseline.lagOf(T0 + 5_000, T0 + 5_000);
    expect(baseline.lagOf(T0 + 1_000, T0 + 3_000)).toBe(0);
    expect(baseline.offsetMs).toBe(-2_000);
  });
});
