export interface BackoffOptions {
  /** First delay, ms. */
  readonly baseMs: number;
  /** Largest delay, ms. */
  readonly capMs: number;
  /** Growth per attempt (default 2). */
  readonly factor?: number;
  /** Fraction of the delay randomised, 0..1 (default 0.5: delay * [0.5, 1]). */
  readonly jitter?: number;
  /** Random source in [0, 1), injectable for tests. */
  readonly random?: () => number;
}

/**
 * Exponential backoff with jitter. `next()` gives the delay before the next attempt; `reset()` is
 * called only once the connection has proved healthy, never on a bare connect.
 */
export class Backoff {
  private attempt = 0;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(private readonly options: BackoffOptions) {
    this.factor = options.factor ?? 2;
    this.jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
    this.random = options.random ?? Math.random;
  }

  /** Attempts made since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The un-jittered delay for attempt `n` (0-based). */
  ceiling(n: number): number {
    return Math.min(this.options.capMs, this.options.baseMs * this.factor ** n);
  }

  next(): number {
    const ceiling = this.ceiling(this.attempt);
    this.attempt++;
    return Math.round(ceiling * (1 - this.jitter * this.random()));
  }

  reset(): void {
    this.attempt = 0;
  }
}
