import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';
import { ConfigError } from './errors.js';

/** A random source that replays the given values. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

describe('Backoff', () => {
  it('doubles from the base to the cap without jitter', () => {
    const backoff = new Backoff({ baseMs: 1_000, capMs: 30_000, jitter: 0 });
    const delays = Array.from({ length: 8 }, () => backoff.next());
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(backoff.attempts).toBe(8);
  });

  it('jitters each delay down by up to the jitter fraction, using the injected random source', () => {
    const backoff = new Backoff({
      baseMs: 1_000,
      capMs: 30_000,
      jitter: 0.5,
      random: sequence(0, 0.5, 0.999, 0.25),
    });
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([
      1_000, // 1000 * (1 - 0.5 * 0)
      1_500, // 2000 * (1 - 0.5 * 0.5)
      2_002, // 4000 * (1 - 0.5 * 0.999)
      7_000, // 8000 * (1 - 0.5 * 0.25)
    ]);
  });

  it('stays within (ceiling * (1 - jitter), ceiling] and never exceeds the cap', () => {
    const backoff = new Backoff({ baseMs: 100, capMs: 5_000, factor: 3, jitter: 0.3 });
    for (let attempt = 0; attempt < 50; attempt++) {
      const ceiling = backoff.ceiling(attempt);
      const delay = backoff.next();
      expect(delay).toBeLessThanOrEqual(ceiling);
      expect(delay).toBeGreaterThanOrEqual(Math.round(ceiling * 0.7));
      expect(delay).toBeLessThanOrEqual(5_000);
    }
    expect(backoff.ceiling(2_000)).toBe(5_000);
  });

  it('reset starts the sequence again from the base', () => {
    const backoff = new Backoff({ baseMs: 10, capMs: 1_000, jitter: 0 });
    backoff.next();
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.attempts).toBe(0);
    expect(backoff.next()).toBe(10);
  });

  it('clamps a misbehaving random source and keeps a zero base at zero', () => {
    const wild = new Backoff({ baseMs: 100, capMs: 100, jitter: 1, random: sequence(-3, 7, Number.NaN) });
    expect([wild.next(), wild.next(), wild.next()]).toEqual([100, 0, 100]);
    const zero = new Backoff({ baseMs: 0, capMs: 100, jitter: 0 });
    expect(zero.ceiling(5_000)).toBe(0);
  });

  it('rejects options that cannot make a schedule, naming the values', () => {
    expect(() => new Backoff({ baseMs: 2_000, capMs: 1_000 })).toThrow(ConfigError);
    expect(() => new Backoff({ baseMs: -1, capMs: 1_000 })).toThrow(/baseMs -1/);
    expect(() => new Backoff({ baseMs: 1, capMs: Number.POSITIVE_INFINITY })).toThrow(ConfigError);
    expect(() => new Backoff({ baseMs: 1, capMs: 10, factor: 0.5 })).toThrow(/factor .* got 0.5/);
  });
});
