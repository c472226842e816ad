import type { OrderBookSnapshot } from '@arbitrage/core';
import type { ResolvedAsset, ResolvedAssetRoute } from '../engine-config.js';
import type { BookSlot } from '../market-view.js';
import type { MutablePremiumQuote, PremiumFees } from '../premium.js';
import type { PremiumBaseline } from '../strategy/premium-baseline.js';
import type { HedgedTrade } from '../trade/hedged-trade.js';
import type { MutableDecision } from './decision.js';

/** How one KRW venue brings USDT into KRW; shared by every route of that venue. */
export interface ConversionState {
  /** The KRW venue's USDT/KRW book; undefined in FX mode. */
  readonly slot: BookSlot | undefined;
  /** KRW per USDT at the last priced evaluation on this KRW venue (the FX rate in FX mode). */
  lastRate: number;
}

/** Everything the engine keeps per asset per route (one KRW venue × one USDT venue). */
export interface RouteState {
  /** The route's name, e.g. 'upbit-binance'. */
  readonly name: string;
  readonly asset: AssetState;
  readonly markets: ResolvedAssetRoute;
  readonly fees: PremiumFees;
  readonly krw: BookSlot;
  readonly usdt: BookSlot;
  readonly conversion: ConversionState;
  /** Overwritten by each evaluation of this route that gets as far as pricing. */
  readonly quote: MutablePremiumQuote;
  /** When `quote` was last computed (NaN before). */
  quotedAt: number;
  /**
   * The route's usual level, fed the KRW-per-USDT rate its two mids imply (krwMid / usdtMid) on every
   * priced evaluation: see `ArbitrageEngine.referencePremium`. Per route: USDT venues differ slightly.
   */
  readonly baseline: PremiumBaseline;
  /** KRW per USDT at the last priced evaluation: the USDT/KRW mid, or the FX rate. */
  usdtKrw: number;
  /**
   * Set when a book this route reads changed: the next evaluation of its asset that gets past
   * waiting for orders re-prices it (so a quote not dirty is the quote of the route's current books).
   */
  dirty: boolean;
  /** Re-priced by the evaluation running now. */
  priced: boolean;
  /** The books the route was last priced on (or failed to be): a book replaced since makes it due for re-pricing. */
  pricedKrw: OrderBookSnapshot | undefined;
  pricedUsdt: OrderBookSnapshot | undefined;
  pricedConversion: OrderBookSnapshot | undefined;
}

/** Everything the engine keeps per configured asset. Risk limits and pending orders are per asset. */
export interface AssetState {
  readonly config: ResolvedAsset;
  /** In route order (ties between routes go to the first). */
  readonly routes: RouteState[];
  /** Overwritten by each evaluation. */
  readonly decision: MutableDecision;
  /** Pairs of this asset not yet closed, on any route. */
  readonly trades: HedgedTrade[];
  /** Orders of this asset's pairs waiting for their fills. */
  pendingOrders: number;
}
