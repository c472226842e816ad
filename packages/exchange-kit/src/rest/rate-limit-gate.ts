import { RateLimitError } from '@arbitrage/core';

/** Wait after a 429 or 418 that carries no Retry-After: `baseMs`, doubled per answer in a row, up to `capMs`. */
export interface RateLimitWait {
  readonly baseMs: number;
  readonly capMs: number;
}

export interface RateLimitWaits {
  readonly 429: RateLimitWait;
  readonly 418: RateLimitWait;
}

export const DEFAULT_RATE_LIMIT_WAITS: RateLimitWaits = {
  429: { baseMs: 1_000, capMs: 60_000 },
  418: { baseMs: 60_000, capMs: 3_600_000 },
};

/**
 * After a 429 (rate limited) or 418 (IP banned) no request may go out until the wait is over:
 * the exchange's Retry-After, or the default wait growing with each such answer in a row.
 */
export class RateLimitGate {
  private until = 0;
  private status: 429 | 418 = 429;
  private last: RateLimitError | undefined;
  private readonly inARow = { 429: 0, 418: 0 };

  constructor(
    private readonly exchange: string,
    private readonly waits: RateLimitWaits,
  ) {}

  /** When the block ends (ms since epoch), or 0 when requests may go out at `now`. */
  blockedUntil(now: number): number {
    return now < this.until ? this.until : 0;
  }

  /** The error for a request refused while blocked, or undefined when it may go out. */
  refusal(operation: string, label: string, now: number): RateLimitError | undefined {
    if (now >= this.until) return undefined;
    const waitMs = this.until - now;
    return new RateLimitError(
      this.exchange,
      this.status,
      waitMs,
      `${operation} not sent: ${label} answered ${this.status} and no request may go out for another ${waitMs} ms`,
      this.last === undefined ? undefined : { cause: this.last },
    );
  }

  /** Records a 429/418; returns how long to wait (Retry-After when given). */
  block(status: 429 | 418, retryAfterMs: number | undefined, now: number): number {
    this.inARow[status]++;
    const { baseMs, capMs } = this.waits[status];
    const waitMs = retryAfterMs ?? Math.min(capMs, baseMs * 2 ** (this.inARow[status] - 1));
    if (now + waitMs > this.until) {
      this.until = now + waitMs;
      this.status = status;
    }
    return waitMs;
  }

  /** The error that announced the current block, kept as the cause of later refusals. */
  remember(error: RateLimitError): void {
    this.last = error;
  }

  /** A 2xx answer ends the run of 429s and 418s. */
  succeeded(): void {
    this.inARow[429] = 0;
    this.inARow[418] = 0;
  }
}
