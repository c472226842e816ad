import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { ConfigError } from './errors.js';
import { sleep } from './retry.js';

export interface RateBudgetOptions {
  /** Weight allowed per window (> 0). Keep it below the exchange's own limit. */
  readonly limit: number;
  /** Window length, ms (> 0; Upbit: 1000; Binance: 60000). */
  readonly windowMs: number;
  readonly clock?: Clock;
}

function isFinitePositive(value: number): boolean {
  return value > 0 && value < Number.POSITIVE_INFINITY;
}

/**
 * A client-side request budget over a sliding window, so a client stays under an exchange's limit
 * instead of discovering it. The exchange's own usage headers correct it upwards (`observeUsed`),
 * and a 429/418 blocks it until Retry-After has passed (`blockUntil`).
 *
 * A single request heavier than the whole limit is let through once the window is empty, rather
 * than waiting forever.
 */
export class RateBudget {
  private readonly clock: Clock;
  private readonly spent: Array<{ at: number; weight: number }> = [];
  private used = 0;
  private blockedUntilMs = 0;

  constructor(private readonly options: RateBudgetOptions) {
    if (!isFinitePositive(options.limit) || !isFinitePositive(options.windowMs)) {
      throw new ConfigError(
        `RateBudget needs a positive finite limit and windowMs, got limit ${options.limit} and windowMs ${options.windowMs}`,
      );
    }
    this.clock = options.clock ?? systemClock;
  }

  /** ms to wait before `weight` fits; 0 when it fits now. */
  delayFor(weight: number): number {
    checkWeight(weight);
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
    if (weight > 0) {
      this.spent.push({ at: this.clock.now(), weight });
      this.used += weight;
    }
    return true;
  }

  /**
   * Waits (on the clock) until `weight` fits, then takes it. Rejects with the signal's reason when
   * `signal` aborts first.
   */
  async take(weight: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const delay = this.delayFor(weight);
      if (delay <= 0 && this.tryTake(weight)) return;
      await sleep(Math.max(1, delay), this.clock, signal);
    }
  }

  /**
   * Corrects the local count from the exchange's report of what this window has used
   * (X-MBX-USED-WEIGHT-1M, or limit minus Upbit's Remaining-Req `sec`). Only ever raises the count:
   * a lower report may predate requests still in flight. Reports that are not finite numbers >= 0
   * are ignored.
   */
  observeUsed(usedByExchange: number): void {
    if (!(usedByExchange >= 0 && usedByExchange < Number.POSITIVE_INFINITY)) return;
    const now = this.clock.now();
    this.expire(now);
    if (usedByExchange > this.used) {
      this.spent.push({ at: now, weight: usedByExchange - this.used });
      this.used = usedByExchange;
    }
  }

  /** No request until `untilMs` (from a 429/418 Retry-After). Extends, never shortens, a block. */
  blockUntil(untilMs: number): void {
    if (untilMs > this.blockedUntilMs) this.blockedUntilMs = untilMs;
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
    let expired = 0;
    while (expired < this.spent.length && this.spent[expired]!.at <= horizon) {
      this.used -= this.spent[expired]!.weight;
      expired++;
    }
    if (expired > 0) this.spent.splice(0, expired);
    // Start from an exact 0 when the window empties, so fractional weights cannot drift.
    if (this.spent.length === 0) this.used = 0;
  }
}

function checkWeight(weight: number): void {
  if (!(weight >= 0 && weight < Number.POSITIVE_INFINITY)) {
    throw new ConfigError(`a request weight must be a finite number >= 0, got ${weight}`);
  }
}
