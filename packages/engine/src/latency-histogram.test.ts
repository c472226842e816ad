import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './latency-histogram.js';

describe('LatencyHistogram', () => {
  it('reports percentiles within one bucket (6.25 %) of the true values', () => {
    const histogram = new LatencyHistogram();
    for (let ns = 1; ns <= 100_000; ns++) histogram.record(ns);
    const summary = histogram.summary();
    expect(summary.count).toBe(100_000);
    expect(summary.p50Us).toBeGreaterThan(50 * 0.9375);
    expect(summary.p50Us).toBeLessThan(50 * 1.0625);
    expect(summary.p99Us).toBeGreaterThan(99 * 0.9375);
    expect(summary.p99Us).toBeLessThan(99 * 1.0625);
    expect(summary.maxUs).toBe(100);
    expect(summary.meanUs).toBeCloseTo(50, 1);
  });

  it('is exact for small values, clamps huge ones, and never reports above the maximum', () => {
    const histogram = new LatencyHistogram();
    histogram.record(7);
    expect(histogram.percentileNs(0.5)).toBe(7);
    histogram.record(1e12);
    expect(histogram.percentileNs(1)).toBe(0xffff_ffff);
    histogram.record(-5);
    expect(histogram.percentileNs(0)).toBe(0);
  });

  it('is empty as NaN, and resets', () => {
    const histogram = new LatencyHistogram();
    expect(histogram.summary().p99Us).toBeNaN();
    histogram.record(1_000);
    histogram.reset();
    expect(histogram.count).toBe(0);
    expect(histogram.summary().maxUs).toBeNaN();
  });
});
