/** Sub-buckets per power of two: values are kept to within 1/16 (6.25 %) of their true size. */
const SUB_BUCKET_BITS = 4;
const SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
/** Values up to 2^32 − 1 ns (~4.3 s); larger ones land in the last bucket. */
const BUCKETS = (32 - SUB_BUCKET_BITS + 1) * SUB_BUCKETS;
const MAX_VALUE = 0xffff_ffff;

export interface LatencySummary {
  readonly count: number;
  /** Microseconds. NaN while empty. */
  readonly p50Us: number;
  readonly p90Us: number;
  readonly p99Us: number;
  readonly maxUs: number;
  readonly meanUs: number;
}

/**
 * A fixed-size log-linear histogram of durations in nanoseconds (HdrHistogram's idea in 464
 * counters): recording is O(1) and allocates nothing, memory never grows, percentiles are exact to
 * within one bucket (≤ 6.25 %).
 */
export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  private n = 0;
  private sumNs = 0;
  private maxNs = 0;

  record(nanoseconds: number): void {
    const value = nanoseconds <= 0 ? 0 : nanoseconds >= MAX_VALUE ? MAX_VALUE : Math.floor(nanoseconds);
    this.counts[bucketOf(value)]!++;
    this.n++;
    this.sumNs += value;
    if (value > this.maxNs) this.maxNs = value;
  }

  get count(): number {
    return this.n;
  }

  /** The value (ns) at or below which `fraction` of the recorded values fall: a bucket midpoint. */
  percentileNs(fraction: number): number {
    if (this.n === 0) return Number.NaN;
    if (fraction >= 1) return this.maxNs;
    const rank = Math.max(1, Math.ceil(fraction * this.n));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(bucketMidpoint(i), this.maxNs);
    }
    return this.maxNs;
  }

  summary(): LatencySummary {
    const us = (ns: number): number => Math.round(ns / 10) / 100;
    return {
      count: this.n,
      p50Us: us(this.percentileNs(0.5)),
      p90Us: us(this.percentileNs(0.9)),
      p99Us: us(this.percentileNs(0.99)),
      maxUs: this.n === 0 ? Number.NaN : us(this.maxNs),
      meanUs: this.n === 0 ? Number.NaN : us(this.sumNs / this.n),
    };
  }

  reset(): void {
    this.counts.fill(0);
    this.n = 0;
    this.sumNs = 0;
    this.maxNs = 0;
  }
}

function bucketOf(value: number): number {
  if (value < SUB_BUCKETS) return value;
  const exponent = 31 - Math.clz32(value);
  const sub = (value >>> (exponent - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1);
  return (exponent - SUB_BUCKET_BITS + 1) * SUB_BUCKETS + sub;
}

function bucketMidpoint(index: number): number {
  if (index < SUB_BUCKETS) return index;
  const exponent = Math.floor(index / SUB_BUCKETS) + SUB_BUCKET_BITS - 1;
  const sub = index % SUB_BUCKETS;
  const width = 2 ** (exponent - SUB_BUCKET_BITS);
  const low = 2 ** exponent + sub * width;
  return low + width / 2;
}
