import {
  ArbitrageError,
  type Clock,
  ConfigError,
  type Logger,
  noopLogger,
  systemClock,
} from '@arbitrage/core';
import { ReasonCounts } from '../reason-counts.js';
import { OrderRateWindow } from './order-rate-window.js';
import { positionLimitFor, type RiskLimits, riskLimitProblems } from './risk-limits.js';

/** Why the guard refused something. Each refusal is counted under its reason. */
export type RiskRefusalReason =
  | 'halted'
  | 'max_notional'
  | 'max_open_trades'
  | 'max_position'
  | 'stale_book'
  | 'orders_per_second';

/** What the guard needs to know about a pair about to open. */
export interface OpenRequest {
  readonly asset: string;
  /** Quantity of the asset per leg. */
  readonly size: number;
  readonly notionalUsd: number;
  /** Pairs currently not closed, across assets. */
  readonly openTrades: number;
  /** Quantity of this asset already held across those pairs. */
  readonly assetPosition: number;
  /** Orders this pair sends (2 for a hedged pair). */
  readonly orders: number;
}

export interface HaltState {
  readonly halted: boolean;
  /** 'daily_loss_limit', 'order_rate_breach', or what a person gave to `halt`. */
  readonly reason: string | undefined;
  readonly since: number | undefined;
  /** Who cleared the last halt, and when. */
  readonly lastResetBy: string | undefined;
  readonly lastResetAt: number | undefined;
}

export interface RiskGuardOptions {
  readonly limits: RiskLimits;
  /** Assets that will trade: each must have a position limit. */
  readonly assets?: readonly string[];
  /** Whether breaching the order rate also latches a halt (a strategy that bursts is misbehaving). Default true. */
  readonly haltOnOrderRateBreach?: boolean;
  /** Offset of the trading day from UTC midnight, in minutes (KST = 540). Default 0. */
  readonly dayOffsetMinutes?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

const DAY_MS = 86_400_000;

/**
 * Caps every pair before it opens and latches a halt on a daily loss (or an order-rate breach);
 * a latched halt clears only through `resetHalt(by)`, never by itself — not at the day boundary,
 * not after a quiet spell. Unwinding orders are never refused (they reduce risk), but they count
 * toward the order rate.
 */
export class RiskGuard {
  readonly limits: RiskLimits;
  private readonly refusalCounts = new ReasonCounts<RiskRefusalReason>();
  private readonly orderWindow: OrderRateWindow;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly haltOnOrderRateBreach: boolean;
  private readonly dayOffsetMs: number;
  private status: HaltState = {
    halted: false,
    reason: undefined,
    since: undefined,
    lastResetBy: undefined,
    lastResetAt: undefined,
  };
  private day = Number.NaN;
  private dayPnlUsd = 0;

  constructor(options: RiskGuardOptions) {
    const problems = riskLimitProblems(options.limits, options.assets);
    if (problems.length > 0) throw new ConfigError(`risk limits are incomplete: ${problems.join('; ')}`);
    this.limits = options.limits;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? noopLogger;
    this.haltOnOrderRateBreach = options.haltOnOrderRateBreach ?? true;
    this.dayOffsetMs = (options.dayOffsetMinutes ?? 0) * 60_000;
    this.orderWindow = new OrderRateWindow(options.limits.maxOrdersPerSecond);
  }

  get halted(): boolean {
    return this.status.halted;
  }

  haltState(): HaltState {
    return this.status;
  }

  /** Refusal counts per reason. */
  refusals(): Record<string, number> {
    return this.refusalCounts.toRecord();
  }

  /** Checks a pair about to open. Returns the refusal reason (counted), or undefined when allowed. */
  checkOpen(request: OpenRequest, now: number = this.clock.now()): RiskRefusalReason | undefined {
    let reason: RiskRefusalReason | undefined;
    if (this.status.halted) reason = 'halted';
    else if (!(request.notionalUsd <= this.limits.maxNotionalUsd)) reason = 'max_notional';
    else if (request.openTrades + 1 > this.limits.maxOpenTrades) reason = 'max_open_trades';
    else if (request.assetPosition + request.size > positionLimitFor(this.limits, request.asset))
      reason = 'max_position';
    else if (this.orderWindow.wouldExceed(request.orders, now)) {
      reason = 'orders_per_second';
      if (this.haltOnOrderRateBreach) {
        this.latch(
          `order_rate_breach: more than ${this.limits.maxOrdersPerSecond} orders in one second`,
          now,
        );
      }
    }
    if (reason !== undefined) this.refusalCounts.increment(reason);
    return reason;
  }

  /** Minimum book freshness. False (counted as 'stale_book') when `ageMs` exceeds the limit. */
  checkBookAge(ageMs: number): boolean {
    if (ageMs <= this.limits.maxBookAgeMs) return true;
    this.refusalCounts.increment('stale_book');
    return false;
  }

  /** Records orders sent (opening or unwinding), for the order-rate limit. */
  recordOrders(count: number, now: number = this.clock.now()): void {
    this.orderWindow.record(count, now);
  }

  /** Orders sent in the last second. */
  ordersInLastSecond(now: number = this.clock.now()): number {
    return this.orderWindow.countAt(now);
  }

  /** Adds a closed pair's realised PnL to the day's tally; latches a halt when the loss limit is reached. */
  recordRealisedPnl(usd: number, now: number = this.clock.now()): void {
    this.rollDay(now);
    this.dayPnlUsd += usd;
    if (this.dayPnlUsd <= -this.limits.dailyLossLimitUsd && !this.status.halted) {
      this.latch(
        `daily_loss_limit: realised ${this.dayPnlUsd.toFixed(2)} USD today, limit ${this.limits.dailyLossLimitUsd} USD`,
        now,
      );
    }
  }

  /** Realised PnL counted against today's loss limit (since the day began or the last reset). */
  dailyPnlUsd(now: number = this.clock.now()): number {
    this.rollDay(now);
    return this.dayPnlUsd;
  }

  /** The kill switch: halts at once; only `resetHalt` clears it. */
  halt(reason: string, now: number = this.clock.now()): void {
    if (!this.status.halted) this.latch(`manual: ${reason}`, now);
  }

  /**
   * Clears a latched halt. Only a person does this, and says who: `by` is recorded. The day's loss
   * tally starts again from zero, so the limit applies afresh to trading after the reset.
   */
  resetHalt(by: string, now: number = this.clock.now()): void {
    if (typeof by !== 'string' || by.trim() === '') {
      throw new ArbitrageError(
        'HALT_RESET_UNATTRIBUTED',
        'resetHalt needs the name of the person clearing the halt',
      );
    }
    this.logger.warn({ by, reason: this.status.reason }, 'risk halt cleared by a person');
    this.status = { halted: false, reason: undefined, since: undefined, lastResetBy: by, lastResetAt: now };
    this.rollDay(now);
    this.dayPnlUsd = 0;
  }

  private latch(reason: string, now: number): void {
    this.status = { ...this.status, halted: true, reason, since: now };
    this.logger.error({ reason }, 'risk guard HALTED: no new trades until a person calls resetHalt');
  }

  private rollDay(now: number): void {
    const day = Math.floor((now + this.dayOffsetMs) / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.dayPnlUsd = 0;
    }
  }
}
