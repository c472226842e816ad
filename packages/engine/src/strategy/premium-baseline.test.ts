import { describe, expect, it } from 'vitest';
import { createBaseline, RollingBaseline } from './premium-baseline.js';

/** Feeds `premium(t)` every `stepMs` from `from` to `to` (exclusive). */
function feed(
  baseline: RollingBaseline,
  from: number,
  to: number,
  premium: (t: number) => number,
  stepMs = 100,
) {
  for (let t = from; t < to; t += stepMs) baseline.record(premium(t), t);
}

describe('RollingBaseline', () => {
  it('is NaN until its history spans the warm-up', () => {
    const baseline = new RollingBaseline(60_000, 10_000);
    feed(baseline, 0, 9_000, () => 0.01);
    expect(baseline.value()).toBeNaN();
    feed(baseline, 9_000, 11_000, () => 0.01);
    expect(baseline.value()).toBeCloseTo(0.01, 12);
  });

  it('the median shrugs off a short spike that moves the mean', () => {
    const median = new RollingBaseline(60_000, 0);
    const mean = new RollingBaseline(60_000, 0, 'mean');
    const premium = (t: number) => (t >= 40_000 && t < 50_000 ? 0.05 : 0.01);
    for (const baseline of [median, mean]) feed(baseline, 0, 55_000, premium);
    expect(median.value()).toBeCloseTo(0.01, 12);
    expect(mean.value()).toBeGreaterThan(0.015);
  });

  it('follows a level that drifts, forgetting what left the window', () => {
    const baseline = new RollingBaseline(60_000, 0);
    feed(baseline, 0, 60_000, () => 0.01);
    feed(baseline, 60_000, 150_000, () => 0.03);
    expect(baseline.value()).toBeCloseTo(0.03, 12);
  });

  it('goes back to warming up when the feed was away longer than the window', () => {
    const baseline = new RollingBaseline(60_000, 10_000);
    feed(baseline, 0, 20_000, () => 0.01);
    expect(baseline.value()).toBeCloseTo(0.01, 12);
    feed(baseline, 200_000, 201_000, () => 0.02);
    expect(baseline.value()).toBeNaN();
  });

  it('ignores non-finite samples; a fixed baseline is its level', () => {
    const baseline = new RollingBaseline(60_000, 0);
    feed(baseline, 0, 5_000, (t) => (t % 200 === 0 ? Number.NaN : 0.01));
    expect(baseline.value()).toBeCloseTo(0.01, 12);
    expect(createBaseline({ mode: 'fixed', premium: 0.02 }).value()).toBe(0.02);
  });
});
