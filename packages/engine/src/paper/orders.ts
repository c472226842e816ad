import type { TradeSide } from '@arbitrage/core';

/** Why the paper broker refused an order at submission. */
export type OrderRejectReason =
  | 'invalid_size'
  | 'invalid_price'
  | 'invalid_symbol'
  | 'no_fee_schedule'
  | 'below_lot_size'
  | 'below_min_notional'
  | 'insufficient_balance';

/** Why a fill came out smaller than the order (the rest is cancelled: orders are immediate-or-cancel). */
export type ShortfallReason =
  | 'insufficient_depth'
  | 'insufficient_balance'
  | 'below_lot_size'
  | 'below_min_notional'
  | 'no_book'
  | 'cancelled';

/** A taker (market, immediate-or-cancel) order for the paper broker. */
export interface OrderRequest {
  readonly exchange: string;
  /** Canonical BASE/QUOTE, e.g. 'BTC/KRW'. */
  readonly symbol: string;
  readonly side: TradeSide;
  /** Base units. Rounded down to the market's lot size where MarketInfo gives one. */
  readonly size: number;
  /** The price the decision was made at (the VWAP seen then); slippage is measured against it. */
  readonly decisionPrice: number;
  /** Caller's tag (the engine puts the trade id here); returned on the fill. */
  readonly tag?: string;
}

export type PaperOrderStatus = 'active' | 'rejected' | 'done';

export interface PaperOrder extends OrderRequest {
  readonly id: string;
  readonly base: string;
  readonly quote: string;
  /** The size asked for, before lot rounding. */
  readonly requestedSize: number;
  readonly status: PaperOrderStatus;
  readonly rejectReason: OrderRejectReason | undefined;
  readonly submittedAt: number;
  /** When the fill is simulated (submittedAt + latency). */
  readonly fillDueAt: number;
}

export type FillStatus = 'filled' | 'partial' | 'unfilled' | 'cancelled';

/** What happened to an order, worked out against the book as it was at fill time. */
export interface FillReport {
  readonly orderId: string;
  readonly tag: string | undefined;
  readonly exchange: string;
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly side: TradeSide;
  /** Size of the order (after lot rounding). */
  readonly orderSize: number;
  readonly filledSize: number;
  /** VWAP of the levels taken; NaN when nothing filled. */
  readonly averagePrice: number;
  /** Quote currency, before fees. */
  readonly notional: number;
  /** Taker fee, charged in the quote currency. */
  readonly fee: number;
  readonly feeAsset: string;
  readonly decisionPrice: number;
  /** Against the decision price, positive when worse: buys (avg − decision)/decision, sells the reverse. NaN when unfilled. */
  readonly slippageBps: number;
  /** What slippage cost over the filled size, in quote currency (positive when worse). */
  readonly slippageCost: number;
  /** Book levels the fill walked. */
  readonly levels: number;
  readonly status: FillStatus;
  readonly shortfall: ShortfallReason | undefined;
  readonly submittedAt: number;
  readonly filledAt: number;
  /** receivedAt of the book the fill was priced on. */
  readonly bookReceivedAt: number | undefined;
}
