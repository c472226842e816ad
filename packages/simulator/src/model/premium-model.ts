import { MeanReverting } from './mean-reverting.js';
import { type PremiumOptions, type ResolvedPremium, resolvePremium } from './premium-options.js';
import { Rng } from './random.js';

/** Lowest premium a price is built from, whatever the options: keeps every KRW price positive. */
const PREMIUM_FLOOR = -0.9;

/** One noise component and the PRNG stream it draws from. */
interface Component {
  readonly process: MeanReverting;
  readonly rng: Rng;
}

/**
 * The Upbit premium over the dollar rate (docs/protocols/arbitrage.md C3), in model time:
 *
 *   coin premium  = level + intraday + spikes + asset noise
 *   USDT premium  = usdtMean + usdtShare × (level − mean + intraday) + usdt noise
 *
 * level, intraday, asset and usdt noise are Ornstein-Uhlenbeck processes; spikes arrive as a Poisson
 * process (plus any scheduled ones) and decay exponentially. Each component draws from its own PRNG
 * stream, so spike times and sizes do not depend on how finely the model is stepped.
 */
export class PremiumModel {
  readonly options: ResolvedPremium;
  private readonly level: Component;
  private readonly intraday: Component;
  private readonly usdtNoise: Component;
  private readonly assets = new Map<string, Component>();
  private readonly spikeRng: Rng;
  private readonly spikeDecayPerMs: number;
  /** Infinity when spikes arrive whole. */
  private readonly spikeRisePerMs: number;
  private readonly scheduled: ReadonlyArray<{ readonly atMs: number; readonly size: number }>;
  private nextScheduled = 0;
  private nextRandomSpikeMs: number;
  private spikeValue = 0;
  /** Spike size that has arrived as demand but not yet reached the price (builds up at the rise rate). */
  private spikePending = 0;
  private elapsedMs = 0;

  constructor(seed: number, bases: readonly string[], options?: PremiumOptions) {
    const o = resolvePremium(options);
    this.options = o;
    // The level starts at its mean (so `mean` is where a run begins); the fast noises start anywhere
    // in their stationary range, so no warm-up transient looks like a move.
    const component = (label: string, mean: number, sd: number, halfLifeS: number, start?: number) => {
      const rng = new Rng(seed, label);
      const value = start ?? mean + sd * rng.normal();
      return { rng, process: new MeanReverting(value, mean, sd, halfLifeS * 1000) };
    };
    this.level = component('premium-level', o.mean, o.sd, o.halfLifeS, o.mean);
    this.intraday = component('premium-intraday', 0, o.intradaySd, o.intradayHalfLifeS);
    this.usdtNoise = component('premium-usdt', 0, o.usdtSd, o.usdtHalfLifeS);
    for (const base of bases) {
      this.assets.set(base, component(`premium-asset:${base}`, 0, o.assetSd, o.assetHalfLifeS));
    }
    this.spikeRng = new Rng(seed, 'premium-spikes');
    this.spikeDecayPerMs = Math.LN2 / (o.spikeHalfLifeS * 1000);
    this.spikeRisePerMs =
      o.spikeRiseHalfLifeS > 0 ? Math.LN2 / (o.spikeRiseHalfLifeS * 1000) : Number.POSITIVE_INFINITY;
    this.nextRandomSpikeMs = o.randomSpikesAfterS * 1000 + this.randomSpikeGapMs();
    const sizes = new Rng(seed, 'premium-scheduled-spikes');
    this.scheduled = o.scheduledSpikes
      .map((spike) => ({
        atMs: spike.atS * 1000,
        size:
          spike.sizeTo === undefined ? spike.size : spike.size + (spike.sizeTo - spike.size) * sizes.next(),
      }))
      .sort((a, b) => a.atMs - b.atMs);
  }

  /** Model time advanced so far, ms. */
  get timeMs(): number {
    return this.elapsedMs;
  }

  advance(dtMs: number): void {
    const end = this.elapsedMs + dtMs;
    for (const { process, rng } of [this.level, this.intraday, this.usdtNoise]) process.step(dtMs, rng);
    for (const { process, rng } of this.assets.values()) process.step(dtMs, rng);
    this.spikeValue =
      this.spikeValue * Math.exp(-this.spikeDecayPerMs * dtMs) + this.pendingReached(this.spikePending, dtMs);
    this.spikePending *= Math.exp(-this.spikeRisePerMs * dtMs);
    while (this.nextRandomSpikeMs <= end) {
      const o = this.options;
      const sign = this.spikeRng.chance(o.spikeUpShare) ? 1 : -1;
      this.addSpike(sign * o.spikeSize * (0.5 + this.spikeRng.next()), this.nextRandomSpikeMs, end);
      this.nextRandomSpikeMs += this.randomSpikeGapMs();
    }
    for (let spike = this.scheduled[this.nextScheduled]; spike && spike.atMs <= end; ) {
      this.addSpike(spike.size, spike.atMs, end);
      spike = this.scheduled[++this.nextScheduled];
    }
    this.elapsedMs = end;
  }

  /** The slow level (drifts over days). */
  get levelValue(): number {
    return this.level.process.value;
  }

  /** The market-wide intraday noise. */
  get intradayValue(): number {
    return this.intraday.process.value;
  }

  /** What remains of the spikes so far (signed). */
  get spikeTotal(): number {
    return this.spikeValue;
  }

  /** Premium shared by every coin: level + intraday + spikes. */
  get common(): number {
    return this.levelValue + this.intradayValue + this.spikeValue;
  }

  /** Premium of Upbit KRW-USDT over the USD/KRW rate. */
  get usdt(): number {
    const o = this.options;
    const shared = this.levelValue - o.mean + this.intradayValue;
    const value = o.usdtMean + o.usdtShare * shared + this.usdtNoise.process.value;
    return Math.max(PREMIUM_FLOOR, value);
  }

  /** Premium of Upbit KRW-<base> over usd × usdKrw. */
  coin(base: string): number {
    const asset = this.assets.get(base);
    if (!asset) throw new RangeError(`premium model has no asset ${base}`);
    return Math.max(PREMIUM_FLOOR, this.common + asset.process.value);
  }

  /** Adds a spike that arrived at `atMs`, built up and decayed to `nowMs`. */
  private addSpike(size: number, atMs: number, nowMs: number): void {
    const elapsed = nowMs - atMs;
    if (this.spikeRisePerMs === Number.POSITIVE_INFINITY) {
      this.spikeValue += size * Math.exp(-this.spikeDecayPerMs * elapsed);
      return;
    }
    this.spikeValue += this.pendingReached(size, elapsed);
    this.spikePending += size * Math.exp(-this.spikeRisePerMs * elapsed);
  }

  /**
   * How much of `pending` reaches the price within `dtMs` and is still there (decayed) at its end:
   * the exact solution of pending' = −rise·pending, spike' = rise·pending − decay·spike, so that
   * the path does not depend on the step size.
   */
  private pendingReached(pending: number, dtMs: number): number {
    if (pending === 0) return 0;
    const rise = this.spikeRisePerMs;
    const decay = this.spikeDecayPerMs;
    if (rise === Number.POSITIVE_INFINITY) return 0;
    if (Math.abs(rise - decay) < 1e-15) return pending * rise * dtMs * Math.exp(-rise * dtMs);
    return ((pending * rise) / (decay - rise)) * (Math.exp(-rise * dtMs) - Math.exp(-decay * dtMs));
  }

  private randomSpikeGapMs(): number {
    const perHour = this.options.spikesPerHour;
    return perHour > 0 ? this.spikeRng.exponential(3_600_000 / perHour) : Number.POSITIVE_INFINITY;
  }
}
