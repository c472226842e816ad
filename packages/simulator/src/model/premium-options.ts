import { ConfigError, positiveNumber } from '@arbitrage/core';

/** A spike placed at a fixed model time (on top of the random ones). */
export interface ScheduledSpike {
  /** Model seconds since the market started. */
  readonly atS: number;
  /** Signed size, a fraction (0.015 = +1.5 percentage points of premium). */
  readonly size: number;
  /** When given, the size is drawn from the seed, uniformly between `size` and `sizeTo`. */
  readonly sizeTo?: number;
}

/**
 * How the Upbit premium (the "kimchi premium") behaves: values are fractions (0.02 = 2 %), times
 * model seconds. Defaults and their sources: docs/protocols/arbitrage.md C3.
 */
export interface PremiumOptions {
  /** Long-run mean of the slow level. Default 0.02. */
  readonly mean?: number;
  /** Stationary standard deviation of the slow level. Default 0.015. */
  readonly sd?: number;
  /** Half-life of the slow level's deviations from `mean`, s. Default 432 000 (5 days). */
  readonly halfLifeS?: number;
  /** Stationary sd of the market-wide intraday noise. Default 0.002. */
  readonly intradaySd?: number;
  /** Half-life of the intraday noise, s. Default 3600 (1 h). */
  readonly intradayHalfLifeS?: number;
  /** Average number of random demand spikes per model hour (Poisson). Default 0.5. */
  readonly spikesPerHour?: number;
  /** No random spikes before this model time, s (keeps a run's start quiet). Default 0. */
  readonly randomSpikesAfterS?: number;
  /** Typical spike size: each is spikeSize × (0.5 + U), U uniform in [0, 1). Default 0.015. */
  readonly spikeSize?: number;
  /** Share of random spikes that push the premium up. Default 0.7. */
  readonly spikeUpShare?: number;
  /** Half-life of a spike's exponential decay, s. Default 360 (6 min). */
  readonly spikeHalfLifeS?: number;
  /**
   * Half-life of a spike's build-up, s: demand arrives over tens of seconds, not in one tick, so the
   * books reprice through it. 0 = the whole spike at once. Default 20.
   */
  readonly spikeRiseHalfLifeS?: number;
  /** Stationary sd of each asset's own premium noise. Default 0.0015. */
  readonly assetSd?: number;
  /** Half-life of the per-asset noise, s. Default 120. */
  readonly assetHalfLifeS?: number;
  /**
   * Share of the market-wide premium's moves (level and intraday noise, not spikes) that the
   * KRW-USDT premium over USD/KRW follows: tether on Upbit carries most of the kimchi premium.
   * Default 0.8.
   */
  readonly usdtShare?: number;
  /** Long-run mean of the KRW-USDT premium. Default usdtShare × mean (0.016). */
  readonly usdtMean?: number;
  /** Stationary sd of the KRW-USDT premium's own noise. Default 0.002. */
  readonly usdtSd?: number;
  /** Half-life of the KRW-USDT premium's own noise, s. Default 1800 (30 min). */
  readonly usdtHalfLifeS?: number;
  /** Spikes at fixed model times, on top of the random ones. Default none. */
  readonly scheduledSpikes?: readonly ScheduledSpike[];
}

export type ResolvedPremium = Required<PremiumOptions>;

/** The calibrated defaults (docs/protocols/arbitrage.md C3); `usdtMean` follows from `mean`. */
export const PREMIUM_DEFAULTS: Readonly<Omit<ResolvedPremium, 'usdtMean'>> = {
  mean: 0.02,
  sd: 0.015,
  halfLifeS: 5 * 86_400,
  intradaySd: 0.002,
  intradayHalfLifeS: 60 * 60,
  spikesPerHour: 0.5,
  randomSpikesAfterS: 0,
  spikeSize: 0.015,
  spikeUpShare: 0.7,
  spikeHalfLifeS: 6 * 60,
  spikeRiseHalfLifeS: 20,
  assetSd: 0.0015,
  assetHalfLifeS: 120,
  usdtShare: 0.8,
  usdtSd: 0.002,
  usdtHalfLifeS: 30 * 60,
  scheduledSpikes: [],
};

/** A premium level or spike size: a finite fraction in [-0.5, 1]. */
function level(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (typeof resolved !== 'number' || !Number.isFinite(resolved) || resolved < -0.5 || resolved > 1) {
    throw new ConfigError(`simulator: premium.${name} must be a fraction in [-0.5, 1], got ${String(value)}`);
  }
  return resolved;
}

function share(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (typeof resolved !== 'number' || !(resolved >= 0 && resolved <= 1)) {
    throw new ConfigError(`simulator: premium.${name} must be a number in [0, 1], got ${String(value)}`);
  }
  return resolved;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  return positiveNumber('simulator', `premium.${name}`, value, fallback, { allowZero: true });
}

function halfLife(name: string, value: number | undefined, fallback: number): number {
  return positiveNumber('simulator', `premium.${name}`, value, fallback, { unit: 's' });
}

function scheduled(spikes: readonly ScheduledSpike[] | undefined): ScheduledSpike[] {
  if (spikes === undefined) return [];
  if (!Array.isArray(spikes)) {
    throw new ConfigError('simulator: premium.scheduledSpikes must be an array of { atS, size, sizeTo? }');
  }
  return spikes.map((spike: ScheduledSpike | undefined, index) => {
    const name = `scheduledSpikes[${index}]`;
    if (typeof spike !== 'object' || spike === null) {
      throw new ConfigError(
        `simulator: premium.${name} must be { atS, size, sizeTo? }, got ${String(spike)}`,
      );
    }
    if (typeof spike.atS !== 'number' || !(spike.atS >= 0 && Number.isFinite(spike.atS))) {
      throw new ConfigError(
        `simulator: premium.${name}.atS must be a finite number of model seconds >= 0, got ${String(spike.atS)}`,
      );
    }
    const size = level(`${name}.size`, spike.size, Number.NaN);
    return spike.sizeTo === undefined
      ? { atS: spike.atS, size }
      : { atS: spike.atS, size, sizeTo: level(`${name}.sizeTo`, spike.sizeTo, Number.NaN) };
  });
}

/** Fills in the calibrated defaults; every bad value is a ConfigError naming the option. */
export function resolvePremium(options: PremiumOptions = {}): ResolvedPremium {
  const d = PREMIUM_DEFAULTS;
  const mean = level('mean', options.mean, d.mean);
  const usdtShare = share('usdtShare', options.usdtShare, d.usdtShare);
  return {
    mean,
    sd: nonNegative('sd', options.sd, d.sd),
    halfLifeS: halfLife('halfLifeS', options.halfLifeS, d.halfLifeS),
    intradaySd: nonNegative('intradaySd', options.intradaySd, d.intradaySd),
    intradayHalfLifeS: halfLife('intradayHalfLifeS', options.intradayHalfLifeS, d.intradayHalfLifeS),
    spikesPerHour: nonNegative('spikesPerHour', options.spikesPerHour, d.spikesPerHour),
    randomSpikesAfterS: nonNegative('randomSpikesAfterS', options.randomSpikesAfterS, d.randomSpikesAfterS),
    spikeSize: nonNegative('spikeSize', options.spikeSize, d.spikeSize),
    spikeUpShare: share('spikeUpShare', options.spikeUpShare, d.spikeUpShare),
    spikeHalfLifeS: halfLife('spikeHalfLifeS', options.spikeHalfLifeS, d.spikeHalfLifeS),
    spikeRiseHalfLifeS: nonNegative('spikeRiseHalfLifeS', options.spikeRiseHalfLifeS, d.spikeRiseHalfLifeS),
    assetSd: nonNegative('assetSd', options.assetSd, d.assetSd),
    assetHalfLifeS: halfLife('assetHalfLifeS', options.assetHalfLifeS, d.assetHalfLifeS),
    usdtShare,
    usdtMean: level('usdtMean', options.usdtMean, usdtShare * mean),
    usdtSd: nonNegative('usdtSd', options.usdtSd, d.usdtSd),
    usdtHalfLifeS: halfLife('usdtHalfLifeS', options.usdtHalfLifeS, d.usdtHalfLifeS),
    scheduledSpikes: scheduled(options.scheduledSpikes),
  };
}
