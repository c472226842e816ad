import { ConfigError } from './errors.js';

export interface BackoffOptions {
  /** First delay, ms (>= 0). */
  readonly baseMs: number;
  /** Largest delay, ms (>= baseMs). */
  readonly capMs: number;
  /** Growth per attempt (>= 1, default 2). */
  readonly factor?: number;
  /** Fraction of the delay randomised, 0..1 (default 0.5: delay * (0.5, 1]). */
  readonly jitter?: number;
  /** Random source in [0, 1), injectable for tests. */
  readonly random?: () => number;
}

/**
 * Exponential backoff with jitter. `next()` gives the delay before the next attempt:
 * `ceiling(n) * (1 - jitter * random())`, where `ceiling(n) = min(capMs, baseMs * factor^n)`.
 * `reset()` is called only once the connection has proved healthy, never on a bare connect.
 */
export class Backoff {
  private attempt = 0;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(private readonly options: BackoffOptions) {
    const { baseMs, capMs } = options;
    this.factor = options.factor ?? 2;
    if (!(baseMs >= 0 && capMs >= baseMs && capMs < Number.POSITIVE_INFINITY)) {
      throw new ConfigError(
        `Backoff needs 0 <= baseMs <= capMs < Infinity, got baseMs ${baseMs} and capMs ${capMs}`,
      );
    }
    if (!(this.factor >= 1 && this.factor < Number.POSITIVE_INFINITY)) {
      throw new ConfigError(`Backoff factor must be a finite number >= 1, got ${this.factor}`);
    }
    const jitter = options.jitter ?? 0.5;
    this.jitter = jitter > 0 ? Math.min(1, jitter) : 0;
    this.random = options.random ?? Math.random;
  }

  /** Attempts made since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The un-jittered delay for attempt `n` (0-based). */
  ceiling(n: number): number {
    const { baseMs, capMs } = this.options;
    // baseMs 0 stays 0 (0 * Infinity would be NaN after ~1000 attempts).
    return baseMs === 0 ? 0 : Math.min(capMs, baseMs * this.factor ** n);
  }

  next(): number {
    const ceiling = this.ceiling(this.attempt);
    this.attempt++;
    // A random source outside [0, 1) must not produce a negative or oversized delay.
    const random = Math.min(1, Math.max(0, this.random() || 0));
    return Math.round(ceiling * (1 - this.jitter * random));
  }

  reset(): void {
    this.attempt = 0;
  }
}
