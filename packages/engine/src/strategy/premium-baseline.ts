/** How an asset's reference premium is kept . */
export type BaselineConfig =
  | {
      /**
       * The premium's own recent level: a rolling statistic of the KRW-per-USDT rate the asset's
       * two prices imply, stated as a premium over the current USDT/KRW rate.
       */
      readonly mode: 'rolling';
      /** 'median' (default) shrugs off the spikes it is meant to measure against; 'mean' does not. */
      readonly statistic?: 'median' | 'mean';
      /** How far back the level is taken, ms. */
      readonly windowMs: number;
      /** History needed before the level is trusted and pairs may open, ms (≤ windowMs). */
      readonly warmupMs: number;
    }
  | {
      /** An absolute level, e.g. 0.02: pairs converge to it whatever the recent history. */
      readonly mode: 'fixed';
      readonly premium: number;
    };

/** One asset's usual level: NaN while there is not enough history to trust it. */
export interface PremiumBaseline {
  /** Hands in the value seen at `now`. Allocation-free on the hot path. */
  record(value: number, now: number): void;
  value(): number;
}

export class FixedBaseline implements PremiumBaseline {
  constructor(private readonly level: number) {}

  record(): void {}

  value(): number {
    return this.level;
  }
}

/** Buckets per window: the statistic is taken over bucket means, so its cost does not grow with the update rate. */
const BUCKETS = 120;

/**
 * A rolling median (or mean) of a series over `windowMs`. Samples are averaged into
 * `windowMs / 120` buckets; when a bucket closes, buckets older than the window are dropped and the
 * statistic is taken over the rest (sorting at most 120 numbers, a few times a minute). The level
 * is NaN until the kept buckets span `warmupMs`, and again if the feed was away so long that they
 * all expired.
 */
export class RollingBaseline implements PremiumBaseline {
  private readonly bucketMs: number;
  private readonly starts: number[] = [];
  private readonly means: number[] = [];
  private readonly scratch: number[] = [];
  private bucketStart = Number.NaN;
  private sum = 0;
  private count = 0;
  private level = Number.NaN;

  constructor(
    private readonly windowMs: number,
    private readonly warmupMs: number,
    private readonly statistic: 'median' | 'mean' = 'median',
  ) {
    this.bucketMs = windowMs / BUCKETS;
  }

  record(value: number, now: number): void {
    if (!Number.isFinite(value)) return;
    const start = Math.floor(now / this.bucketMs) * this.bucketMs;
    if (start !== this.bucketStart) {
      if (this.count > 0) this.closeBucket(now);
      this.bucketStart = start;
      this.sum = 0;
      this.count = 0;
    }
    this.sum += value;
    this.count++;
  }

  value(): number {
    return this.level;
  }

  private closeBucket(now: number): void {
    this.starts.push(this.bucketStart);
    this.means.push(this.sum / this.count);
    let expired = 0;
    while (expired < this.starts.length && this.starts[expired]! < now - this.windowMs) expired++;
    if (expired > 0) {
      this.starts.splice(0, expired);
      this.means.splice(0, expired);
    }
    const span = this.starts.length === 0 ? 0 : this.bucketStart + this.bucketMs - this.starts[0]!;
    this.level = span >= this.warmupMs && this.means.length > 0 ? this.compute() : Number.NaN;
  }

  private compute(): number {
    const values = this.means;
    if (this.statistic === 'mean') {
      let total = 0;
      for (const value of values) total += value;
      return total / values.length;
    }
    const sorted = this.scratch;
    sorted.length = 0;
    for (const value of values) sorted.push(value);
    sorted.sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  }
}

export function createBaseline(config: BaselineConfig): PremiumBaseline {
  return config.mode === 'fixed'
    ? new FixedBaseline(config.premium)
    : new RollingBaseline(config.windowMs, config.warmupMs, config.statistic);
}
