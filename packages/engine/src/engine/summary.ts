import type { LatencySummary } from '../latency-histogram.js';
import type { BalanceRecord } from '../paper/balances.js';
import type { PaperBrokerStats } from '../paper/paper-broker.js';
import type { HaltState } from '../risk/risk-guard.js';
import type { RouteTradeSummary } from './route-tally.js';

export interface PnlReport {
  /** Sum over closed pairs, each valued at the USDT/KRW rate when it closed. */
  readonly realisedKrw: number;
  readonly realisedUsd: number;
  /** Open pairs marked at the touch they would unwind against (longs at the bid, shorts at the ask). */
  readonly unrealisedKrw: number;
  readonly unrealisedUsd: number;
  readonly totalKrw: number;
  readonly totalUsd: number;
  /** KRW per USDT used for the unrealised part (USDT/KRW mid, or the FX rate); NaN before any book. */
  readonly usdtKrw: number;
}

/** An asset's premium on one route. */
export interface AssetPremiumSummary {
  /** The route, e.g. 'upbit-binance'. */
  readonly route: string;
  /** Mid prices, no fees: the number practitioners quote as "the kimchi premium". */
  readonly midPremium: number;
  /** Net premium of selling on the KRW venue and buying on the USDT venue now, for the trade size. */
  readonly sellKrwNet: number;
  /** Net premium of buying on the KRW venue and selling on the USDT venue now, for the trade size. */
  readonly buyKrwNet: number;
  /** False when the last evaluation could not price the asset (bad leg, thin book): the numbers are older. */
  readonly current: boolean;
  /**
   * The premium pairs converge to, at today's USDT/KRW rate: the rolling median (or mean) of the
   * KRW-per-USDT rate the asset's prices imply, over the USDT/KRW mid, or the fixed level; NaN while
   * warming up.
   */
  readonly reference: number;
  /** midPremium − reference. */
  readonly deviation: number;
  /**
   * The premium move a pair needs to break even at the configured size on the current books: four
   * taker fees plus both spreads (and depth), per direction; `fees` is the fee part alone.
   */
  readonly breakEven: { readonly sellKrw: number; readonly buyKrw: number; readonly fees: number };
  /** The mid premium at which each direction would open on books like the current ones (NaN while warming up). */
  readonly opensAt: { readonly sellKrw: number; readonly buyKrw: number };
  /** When the numbers were computed. */
  readonly at: number;
}

export interface EngineSummary {
  readonly mode: 'paper';
  readonly at: number;
  /** Evaluation cost (the engine's own work per book update), microseconds. */
  readonly evaluations: LatencySummary;
  readonly trades: {
    /** Pairs sent. */
    readonly opened: number;
    /** Pairs that held a position and were closed, PnL realised. */
    readonly closed: number;
    /** Pairs sent whose orders both filled nothing. */
    readonly openFailed: number;
    /** Pairs not closed yet (opening, open or closing). */
    readonly open: number;
    /** Closed pairs by reason: converged, stop_loss, max_holding, unhedged. */
    readonly closedBy: Record<string, number>;
    /** The same per route (e.g. 'upbit-binance'), with each route's realised PnL; every route is listed. */
    readonly byRoute: Record<string, RouteTradeSummary>;
  };
  readonly pnl: PnlReport;
  /** Orders waiting for their fill. */
  readonly activeOrders: number;
  readonly skipReasons: Record<string, number>;
  readonly guardRefusals: Record<string, number>;
  readonly halt: HaltState;
  readonly openingStopped: string | undefined;
  readonly balances: BalanceRecord;
  readonly orders: PaperBrokerStats;
  /** asset → route → its premium on that route, e.g. `premiums.BTC['upbit-binance']`. */
  readonly premiums: Record<string, Record<string, AssetPremiumSummary>>;
}
