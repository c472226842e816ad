import type { AssetSpec } from './assets.js';
import { Rng } from './random.js';

/** How the Upbit premium (the "kimchi premium") behaves. All values are fractions (0.02 = 2 %). */
export interface PremiumOptions {
  /** Level the coin premium mean-reverts to. Default 0.02. */
  readonly mean?: number;
  /** Stationary standard deviation of the slow component. Default 0.006. */
  readonly sd?: number;
  /** Half-life of deviations, in seconds. Default 300. */
  readonly halfLifeS?: number;
  /** Average number of spikes per hour. Default 6. */
  readonly spikesPerHour?: number;
  /** Typical spike size. Default 0.015. */
  readonly spikeSize?: number;
  /** Half-life of a spike, in seconds. Default 45. */
  readonly spikeHalfLifeS?: number;
  /** Per-asset idiosyncratic premium noise (stationary sd). Default 0.002. */
  readonly assetSd?: number;
  /** Level of the KRW-USDT premium over the USD/KRW rate. Default 0.015. */
  readonly usdtMean?: number;
  /** Stationary sd of the KRW-USDT premium. Default 0.002. */
  readonly usdtSd?: number;
}

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

/** A mean-reverting (Ornstein-Uhlenbeck) value, stepped exactly for any dt. */
class MeanReverting {
  constructor(
    public value: number,
    private readonly mean: number,
    private readonly sd: number,
    private readonly halfLifeMs: number,
  ) {}

  step(dtMs: number, rng: Rng): void {
    const decay = Math.exp((-Math.LN2 * dtMs) / this.halfLifeMs);
    this.value =
      this.mean + (this.value - this.mean) * decay + this.sd * Math.sqrt(1 - decay * decay) * rng.normal();
  }
}

interface AssetState {
  readonly spec: AssetSpec;
  readonly rng: Rng;
  logUsd: number;
  readonly premiumNoise: MeanReverting;
}

/**
 * The "true" prices behind both exchanges: per-asset USD mids (geometric random walks), the USD/KRW
 * rate, and the Upbit premium = slow mean-reverting level + decaying spikes + per-asset noise.
 * Binance <BASE>USDT quotes the USD mid (USDT ≈ USD); Upbit KRW-<BASE> quotes
 * usd × usdKrw × (1 + premium); Upbit KRW-USDT quotes usdKrw × (1 + usdtPremium).
 */
export class PriceModel {
  private readonly assets = new Map<string, AssetState>();
  private readonly rng: Rng;
  private readonly fx: MeanReverting;
  private readonly premiumSlow: MeanReverting;
  private readonly usdtPremium: MeanReverting;
  private spike = 0;
  private readonly spikeRatePerMs: number;
  private readonly spikeSize: number;
  private readonly spikeHalfLifeMs: number;
  private readonly volatilityScale: number;
  private elapsedMs = 0;

  constructor(options: PriceModelOptions) {
    const premium = options.premium ?? {};
    const usdKrw = options.usdKrw ?? 1380;
    this.rng = new Rng(options.seed, 'price-model');
    this.fx = new MeanReverting(Math.log(usdKrw), Math.log(usdKrw), 0.004, 3_600_000);
    const mean = premium.mean ?? 0.02;
    this.premiumSlow = new MeanReverting(mean, mean, premium.sd ?? 0.006, (premium.halfLifeS ?? 300) * 1000);
    const usdtMean = premium.usdtMean ?? 0.015;
    this.usdtPremium = new MeanReverting(usdtMean, usdtMean, premium.usdtSd ?? 0.002, 600_000);
    this.spikeRatePerMs = (premium.spikesPerHour ?? 6) / 3_600_000;
    this.spikeSize = premium.spikeSize ?? 0.015;
    this.spikeHalfLifeMs = (premium.spikeHalfLifeS ?? 45) * 1000;
    this.volatilityScale = options.volatilityScale ?? 1;
    const assetSd = premium.assetSd ?? 0.002;
    for (const spec of options.assets) {
      this.assets.set(spec.base, {
        spec,
        rng: new Rng(options.seed, `asset:${spec.base}`),
        logUsd: Math.log(spec.usdPrice),
        premiumNoise: new MeanReverting(0, 0, assetSd, 60_000),
      });
    }
  }

  /** Model time advanced so far, in ms. */
  get timeMs(): number {
    return this.elapsedMs;
  }

  advance(dtMs: number): void {
    this.elapsedMs += dtMs;
    const rng = this.rng;
    this.fx.step(dtMs, rng);
    this.premiumSlow.step(dtMs, rng);
    this.usdtPremium.step(dtMs, rng);
    this.spike *= Math.exp((-Math.LN2 * dtMs) / this.spikeHalfLifeMs);
    if (rng.chance(this.spikeRatePerMs * dtMs)) {
      const sign = rng.chance(0.7) ? 1 : -1;
      this.spike += sign * this.spikeSize * (0.5 + rng.next());
    }
    for (const asset of this.assets.values()) {
      const sigma = asset.spec.annualVolatility * this.volatilityScale * Math.sqrt(dtMs / YEAR_MS);
      asset.logUsd += sigma * asset.rng.normal();
      asset.premiumNoise.step(dtMs, asset.rng);
    }
  }

  get usdKrw(): number {
    return Math.exp(this.fx.value);
  }

  /** Premium of KRW-USDT over the USD/KRW rate. */
  get usdtPremiumValue(): number {
    return this.usdtPremium.value;
  }

  /** The market-wide coin premium (slow level + spike), without per-asset noise. */
  get commonPremium(): number {
    return this.premiumSlow.value + this.spike;
  }

  usdMid(base: string): number {
    return Math.exp(this.state(base).logUsd);
  }

  /** Premium of Upbit KRW-<base> over usd × usdKrw. */
  premium(base: string): number {
    if (base === 'USDT') return this.usdtPremium.value;
    return this.commonPremium + this.state(base).premiumNoise.value;
  }

  binanceMid(base: string): number {
    return this.usdMid(base);
  }

  upbitMid(base: string): number {
    if (base === 'USDT') return this.usdKrw * (1 + this.usdtPremium.value);
    return this.usdMid(base) * this.usdKrw * (1 + this.premium(base));
  }

  private state(base: string): AssetState {
    const state = this.assets.get(base);
    if (!state) throw new RangeError(`price model has no asset ${base}`);
    return state;
  }
}
