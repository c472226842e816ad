import type { AssetSpec } from './assets.js';
import { MeanReverting } from './mean-reverting.js';
import { PremiumModel } from './premium-model.js';
import type { PremiumOptions } from './premium-options.js';
import { Rng } from './random.js';

export type { PremiumOptions, ScheduledSpike } from './premium-options.js';

export interface PriceModelOptions {
  readonly seed: number;
  readonly assets: readonly AssetSpec[];
  /** Starting USD/KRW rate. Default 1380. */
  readonly usdKrw?: number;
  readonly premium?: PremiumOptions;
  /** Multiplies every asset's volatility (demos may want livelier prices). Default 1. */
  readonly volatilityScale?: number;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;
/** Stationary sd of log USD/KRW and its half-life: slow, like a currency, not like the premium. */
const FX_SD = 0.02;
const FX_HALF_LIFE_MS = 30 * 24 * 3_600_000;
/**
 * OKX's basis against Binance: stationary sd 0.05 % and a half-life of a few model minutes, so the
 * cheaper USDT venue for an asset changes now and then.
 */
const OKX_BASIS_SD = 0.0005;
const OKX_BASIS_HALF_LIFE_MS = 3 * 60_000;

interface AssetState {
  readonly spec: AssetSpec;
  readonly rng: Rng;
  logUsd: number;
  /** Relative offset of the OKX mid from the USD mid, on its own PRNG stream. */
  readonly okxBasis: MeanReverting;
  readonly okxRng: Rng;
}

/**
 * The "true" prices behind every exchange, in model time: per-asset USD mids (geometric random
 * walks), the USD/KRW rate, and the Upbit premium (PremiumModel). Binance <BASE>USDT quotes the USD
 * mid (USDT ≈ USD); Upbit KRW-<BASE> quotes usd × usdKrw × (1 + premium); Upbit KRW-USDT quotes
 * usdKrw × (1 + usdtPremium); OKX <BASE>-USDT quotes the USD mid × (1 + a small mean-reverting basis).
 */
export class PriceModel {
  readonly premiums: PremiumModel;
  private readonly assets = new Map<string, AssetState>();
  private readonly rng: Rng;
  private readonly fx: MeanReverting;
  private readonly volatilityScale: number;
  private elapsedMs = 0;

  constructor(options: PriceModelOptions) {
    const usdKrw = options.usdKrw ?? 1380;
    this.rng = new Rng(options.seed, 'price-model');
    // docs/protocols/arbitrage.md C3: about 0.1 % an hour, 0.4 % a day (≈ 8 % a year).
    this.fx = new MeanReverting(Math.log(usdKrw), Math.log(usdKrw), FX_SD, FX_HALF_LIFE_MS);
    this.volatilityScale = options.volatilityScale ?? 1;
    for (const spec of options.assets) {
      const okxRng = new Rng(options.seed, `okx-basis:${spec.base}`);
      this.assets.set(spec.base, {
        spec,
        rng: new Rng(options.seed, `asset:${spec.base}`),
        logUsd: Math.log(spec.usdPrice),
        // Started from its stationary distribution, so each seed and asset begins on its own side.
        okxBasis: new MeanReverting(OKX_BASIS_SD * okxRng.normal(), 0, OKX_BASIS_SD, OKX_BASIS_HALF_LIFE_MS),
        okxRng,
      });
    }
    this.premiums = new PremiumModel(
      options.seed,
      options.assets.map((spec) => spec.base),
      options.premium,
    );
  }

  /** Model time advanced so far, in ms. */
  get timeMs(): number {
    return this.elapsedMs;
  }

  advance(dtMs: number): void {
    this.elapsedMs += dtMs;
    this.fx.step(dtMs, this.rng);
    this.premiums.advance(dtMs);
    for (const asset of this.assets.values()) {
      const sigma = asset.spec.annualVolatility * this.volatilityScale * Math.sqrt(dtMs / YEAR_MS);
      asset.logUsd += sigma * asset.rng.normal();
      asset.okxBasis.step(dtMs, asset.okxRng);
    }
  }

  get usdKrw(): number {
    return Math.exp(this.fx.value);
  }

  /** Premium of KRW-USDT over the USD/KRW rate. */
  get usdtPremiumValue(): number {
    return this.premiums.usdt;
  }

  /** The market-wide coin premium (level + intraday + spikes), without per-asset noise. */
  get commonPremium(): number {
    return this.premiums.common;
  }

  usdMid(base: string): number {
    return Math.exp(this.state(base).logUsd);
  }

  /** Premium of Upbit KRW-<base> over usd × usdKrw. */
  premium(base: string): number {
    return base === 'USDT' ? this.premiums.usdt : this.premiums.coin(base);
  }

  binanceMid(base: string): number {
    return this.usdMid(base);
  }

  /** OKX <base>-USDT: the USD mid with OKX's own slowly wandering basis. */
  okxMid(base: string): number {
    const state = this.state(base);
    return Math.exp(state.logUsd) * (1 + state.okxBasis.value);
  }

  /** OKX's basis over the USD mid (a fraction, about ±0.05 %). */
  okxBasis(base: string): number {
    return this.state(base).okxBasis.value;
  }

  upbitMid(base: string): number {
    if (base === 'USDT') return this.usdKrw * (1 + this.premiums.usdt);
    return this.usdMid(base) * this.usdKrw * (1 + this.premium(base));
  }

  private state(base: string): AssetState {
    const state = this.assets.get(base);
    if (!state) throw new RangeError(`price model has no asset ${base}`);
    return state;
  }
}
