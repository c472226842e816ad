import type { LegSkipReason } from '../leg-check.js';
import type { OrderRejectReason } from '../paper/orders.js';
import type { PremiumQuote } from '../premium.js';
import type { RiskRefusalReason } from '../risk/risk-guard.js';
import type { Direction, MarketRef } from '../types.js';

/** Why an evaluation opened nothing. Counted per cause in the engine summary. */
export type SkipReason =
  | LegSkipReason
  | 'insufficient_depth'
  | 'baseline_warming_up'
  | 'below_threshold'
  | 'orders_pending'
  | 'opening_stopped'
  | `risk_refused:${RiskRefusalReason}`
  | `order_rejected:${OrderRejectReason}`;

/**
 * - open: a hedged pair was sent;
 * - close: unwinding orders were sent for at least one open pair;
 * - skip: nothing was sent (`reason` says why);
 * - wait: orders of this asset are still awaiting their fills (reason 'orders_pending').
 */
export type DecisionKind = 'open' | 'close' | 'skip' | 'wait';

export interface EngineDecision {
  readonly asset: string;
  readonly at: number;
  readonly kind: DecisionKind;
  readonly reason: SkipReason | undefined;
  /**
   * The route this decision is about, e.g. 'upbit-binance': the one opened or closed on, the best one
   * when skipped below threshold, or the one whose leg or depth was the problem.
   */
  readonly route: string | undefined;
  /** The leg a leg_* reason is about. */
  readonly leg: MarketRef | undefined;
  /** Direction of the pair opened, or of the best premium when skipped below threshold. */
  readonly direction: Direction | undefined;
  /** The pair opened or closed. */
  readonly tradeId: string | undefined;
  /** The route's reference premium at this evaluation (NaN while warming up or before pricing). */
  readonly reference: number;
  /** For `direction`: the return if a pair opened now closed at its target, net of the round trip. */
  readonly expectedProfit: number;
  /**
   * The quote of `route` (of the asset's first route when none was judged); its numbers are from this
   * evaluation only when `premium.ok`.
   */
  readonly premium: PremiumQuote;
}

/** One per asset, overwritten by each evaluation so that evaluating allocates nothing. */
export class MutableDecision implements EngineDecision {
  at = Number.NaN;
  kind: DecisionKind = 'skip';
  reason: SkipReason | undefined;
  route: string | undefined;
  leg: MarketRef | undefined;
  direction: Direction | undefined;
  tradeId: string | undefined;
  reference = Number.NaN;
  expectedProfit = Number.NaN;

  premium: PremiumQuote;

  constructor(
    readonly asset: string,
    /** The first route's quote: what `premium` shows when no route was judged. */
    private readonly firstQuote: PremiumQuote,
  ) {
    this.premium = firstQuote;
  }

  reset(at: number): void {
    this.at = at;
    this.kind = 'skip';
    this.reason = undefined;
    this.route = undefined;
    this.premium = this.firstQuote;
    this.leg = undefined;
    this.direction = undefined;
    this.tradeId = undefined;
    this.reference = Number.NaN;
    this.expectedProfit = Number.NaN;
  }
}

/** A copy of a decision that later evaluations will not overwrite (plain data, JSON-safe). */
export function copyDecision(decision: EngineDecision): EngineDecision {
  return {
    asset: decision.asset,
    at: decision.at,
    kind: decision.kind,
    reason: decision.reason,
    route: decision.route,
    leg: decision.leg && { exchange: decision.leg.exchange, symbol: decision.leg.symbol },
    direction: decision.direction,
    tradeId: decision.tradeId,
    reference: decision.reference,
    expectedProfit: decision.expectedProfit,
    premium: structuredClone(decision.premium),
  };
}

export const RISK_SKIP_REASONS: Readonly<Record<RiskRefusalReason, SkipReason>> = {
  halted: 'risk_refused:halted',
  max_notional: 'risk_refused:max_notional',
  max_open_trades: 'risk_refused:max_open_trades',
  max_position: 'risk_refused:max_position',
  stale_book: 'risk_refused:stale_book',
  orders_per_second: 'risk_refused:orders_per_second',
};

export const ORDER_SKIP_REASONS: Readonly<Record<OrderRejectReason, SkipReason>> = {
  invalid_size: 'order_rejected:invalid_size',
  invalid_price: 'order_rejected:invalid_price',
  invalid_symbol: 'order_rejected:invalid_symbol',
  no_fee_schedule: 'order_rejected:no_fee_schedule',
  below_lot_size: 'order_rejected:below_lot_size',
  below_min_notional: 'order_rejected:below_min_notional',
  insufficient_balance: 'order_rejected:insufficient_balance',
};
