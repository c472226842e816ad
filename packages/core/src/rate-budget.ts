import type { Clock } from './clock.js';
import { systemClock } from './clock.js';

export interface RateBudgetOptions {
  /** Weight allowed per window. Keep it below the exchange's own limit. */
  readonly limit: number;
  /** Window length, ms (Upbit: 1000; Binance: 60000). */
  readonly windowMs: number;
  readonly clock?: Clock;
}

/**
 * A client-side request budget over a sliding window, so a client stays under an exchange's limit
 * instead of discovering it. The exchange's own usage headers correct it (`observeUsed`), and a
 * 429/418 blocks it until Retry-After has passed (`blockUntil`).
 */
export class RateBudget {
  private readonly clock: Clock;
  private readonly spent: Array<{ at: number; weight: number }> = [];
  private used = 0;
  private blockedUntilMs = 0;

  constructor(private readonly options: RateBudgetOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** ms to wait before `weight` fits; 0 when it fits now. */
  delayFor(weight: number): number {
    const now = this.clock.now();
    if (now < this.blockedUntilMs) return this.blockedUntilMs - now;
    this.expire(now);
    if (this.used + weight <= this.options.limit || this.spent.length === 0) return 0;
    // Wait until enough of the oldest spending leaves the window.
    let freed = 0;
    for (const entry of this.spent) {
      freed += entry.weight;
      if (this.used - freed + weight <= this.options.limit) return entry.at + this.options.windowMs - now;
    }
    const last = this.spent[this.spent.length - 1]!;
    return last.at + this.options.windowMs - now;
  }

  /** Takes `weight` if it fits now; returns whether it did. */
  tryTake(weight: number): boolean {
    if (this.delayFor(weight) > 0) return false;
    this.spent.push({ at: this.clock.now(), weight });
    this.used += weight;
    return true;
  }

  /**
   * Corrects the local count from the exchange's report of what this window has used
   * (X-MBX-USED-WEIGHT-1M, or limit minus Upbit's Remaining-Req `sec`).
   */
  observeUsed(usedByExchange: number): void {
    const now = this.clock.now();
    this.expire(now);
    if (usedByExchange > this.used) {
      this.spent.push({ at: now, weight: usedByExchange - this.used });
      this.used = usedByExchange;
    }
  }

  /** No request until `untilMs` (from a 429/418 Retry-After). */
  blockUntil(untilMs: number): void {
    this.blockedUntilMs = Math.max(this.blockedUntilMs, untilMs);
  }

  /** When the current block ends (ms since epoch), or 0 when not blocked. */
  get blockedUntil(): number {
    return this.clock.now() < this.blockedUntilMs ? this.blockedUntilMs : 0;
  }

  /** Weight spent in the current window. */
  get usedWeight(): number {
    this.expire(this.clock.now());
    return this.used;
  }

  private expire(now: number): void {
    const horizon = now - this.options.windowMs;
    while (this.spent.length > 0 && this.spent[0]!.at <= horizon) {
      this.used -= this.spent.shift()!.weight;
    }
  }
}
