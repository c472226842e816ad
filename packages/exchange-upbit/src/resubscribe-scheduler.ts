import type { Clock, TimerHandle } from '@arbitrage/core';

export interface ResubscribeSchedulerOptions {
  readonly clock: Clock;
  /** Least time between two resubscribes, ms. */
  readonly minIntervalMs: number;
  /** First wait once symbols need a refresh, ms (the staleness window). */
  readonly firstDelayMs: number;
  /** Longest wait while they keep needing one, ms. */
  readonly maxDelayMs: number;
  /** Re-sends the subscription; returns false when it could not (no open connection). */
  readonly send: () => boolean;
}

/**
 * When to re-send the Upbit subscription (which makes Upbit answer every code with a SNAPSHOT):
 * soon after a bad frame, and on an exponential backoff while symbols stay stale or failed.
 * Requests are coalesced into one timer and paced to at most one per `minIntervalMs`.
 */
export class ResubscribeScheduler {
  private timer: TimerHandle | undefined;
  private due = Number.POSITIVE_INFINITY;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  /** When the backoff resubscribe is due (0 = none planned). */
  private backoffAt = 0;
  private backoffDelayMs: number;

  constructor(private readonly options: ResubscribeSchedulerOptions) {
    this.backoffDelayMs = options.firstDelayMs;
  }

  /** A fresh snapshot is wanted as soon as the pace allows. */
  soon(): void {
    this.at(this.options.clock.now());
  }

  /** From the staleness sweep: whether any symbol is stale or failed right now. */
  track(needed: boolean): void {
    if (!needed) {
      this.backoffAt = 0;
      this.backoffDelayMs = this.options.firstDelayMs;
      return;
    }
    if (this.backoffAt === 0) {
      this.backoffAt = this.options.clock.now() + this.backoffDelayMs;
      this.at(this.backoffAt);
    }
  }

  cancel(): void {
    this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.due = Number.POSITIVE_INFINITY;
  }

  private at(time: number): void {
    const due = Math.max(time, this.lastSentAt + this.options.minIntervalMs);
    if (this.timer !== undefined && this.due <= due) return;
    const clock = this.options.clock;
    clock.clearTimeout(this.timer);
    this.due = due;
    this.timer = clock.setTimeout(() => this.fire(), Math.max(0, due - clock.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.due = Number.POSITIVE_INFINITY;
    const now = this.options.clock.now();
    if (this.backoffAt !== 0 && now >= this.backoffAt) {
      this.backoffAt = 0;
      this.backoffDelayMs = Math.min(this.options.maxDelayMs, this.backoffDelayMs * 2);
    }
    if (this.options.send()) this.lastSentAt = now;
  }
}
