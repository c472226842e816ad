import type { ResolvedAsset } from '../engine-config.js';
import type { BookSlot } from '../market-view.js';
import type { MutablePremiumQuote } from '../premium.js';
import type { PremiumBaseline } from '../strategy/premium-baseline.js';
import type { HedgedTrade } from '../trade/hedged-trade.js';
import type { MutableDecision } from './decision.js';

/** Everything the engine keeps per configured asset. */
export interface AssetState {
  readonly config: ResolvedAsset;
  readonly krw: BookSlot;
  readonly usdt: BookSlot;
  /** Overwritten by each evaluation that gets as far as pricing. */
  readonly quote: MutablePremiumQuote;
  /** Overwritten by each evaluation. */
  readonly decision: MutableDecision;
  /** Pairs of this asset not yet closed. */
  readonly trades: HedgedTrade[];
  /** Orders of this asset's pairs waiting for their fills. */
  pendingOrders: number;
  /** When `quote` was last computed (NaN before). */
  quotedAt: number;
  /**
   * The asset's usual level, fed the KRW-per-USDT rate its two mids imply (krwMid / usdtMid) on every
   * priced evaluation: see `ArbitrageEngine.referencePremium`.
   */
  readonly baseline: PremiumBaseline;
  /** KRW per USDT at the last priced evaluation: the USDT/KRW mid, or the FX rate. */
  usdtKrw: number;
}
