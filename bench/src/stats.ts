import type { AppliedUpdates } from './protocol.js';

export interface LatencyStats {
  /** Updates joined (sent and reflected in the client's book). */
  readonly joined: number;
  /** Sent updates the client's book never reflected (never reached a newer id). */
  readonly missing: number;
  /**
   * Updates with no send time, left out: nobody was subscribed, or the update has no id of its own
   * (an OKX push with no change keeps the previous seqId, so no client can be seen reflecting it).
   */
  readonly unobservable: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** The value at quantile q (0..1) of an ascending array (nearest rank). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** The median of any numbers (the mean of the middle two for an even count); NaN when empty or any is NaN. */
export function median(values: readonly number[]): number {
  if (values.length === 0 || values.some((value) => Number.isNaN(value))) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Latency from each update's send time to the first moment the client's book reflected it, i.e.
 * the first record with an id at or past the update's id (a client that applies several frames per
 * wake-up reflects them all at once). Ids increase per symbol on both sides, so one merge pass.
 */
export function joinLatencies(
  sent: Readonly<Record<string, { ids: Float64Array; sentAt: BigInt64Array }>>,
  applied: Readonly<Record<string, AppliedUpdates>>,
): LatencyStats {
  const latencies: number[] = [];
  let missing = 0;
  let unobservable = 0;
  for (const [symbol, { ids, sentAt }] of Object.entries(sent)) {
    const log = applied[symbol];
    let j = 0;
    for (let i = 0; i < ids.length; i++) {
      const sentNs = sentAt[i]!;
      if (sentNs === 0n) {
        unobservable++;
        continue;
      }
      while (log !== undefined && j < log.ids.length && log.ids[j]! < ids[i]!) j++;
      if (log === undefined || j >= log.ids.length) {
        missing++;
        continue;
      }
      latencies.push((log.times[j]! - Number(sentNs)) / 1e6);
    }
  }
  latencies.sort((a, b) => a - b);
  return {
    joined: latencies.length,
    missing,
    unobservable,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    maxMs: latencies.length > 0 ? latencies[latencies.length - 1]! : Number.NaN,
  };
}

/** When the client's book first reflected every symbol's final id (hrtime ns), or undefined. */
export function completionTime(
  finalIds: Readonly<Record<string, number>>,
  applied: Readonly<Record<string, AppliedUpdates>>,
): number | undefined {
  let latest = 0;
  for (const [symbol, finalId] of Object.entries(finalIds)) {
    const log = applied[symbol];
    if (!log) return undefined;
    let found: number | undefined;
    for (let i = 0; i < log.ids.length; i++) {
      if (log.ids[i]! >= finalId) {
        found = log.times[i]!;
        break;
      }
    }
    if (found === undefined) return undefined;
    latest = Math.max(latest, found);
  }
  return latest;
}

/**
 * Where two books first differ, or undefined when they agree level by level (exact numbers) on every
 * level the client keeps, up to `levels` per side; a client must keep at least `minLevels` (or the
 * whole true side when it is shorter).
 */
export function bookDifference(
  local: { bids: ReadonlyArray<readonly [number, number]>; asks: ReadonlyArray<readonly [number, number]> },
  truth: { bids: ReadonlyArray<readonly [number, number]>; asks: ReadonlyArray<readonly [number, number]> },
  levels: number,
  minLevels = levels,
): string | undefined {
  const differ = (
    side: string,
    a: ReadonlyArray<readonly [number, number]>,
    b: ReadonlyArray<readonly [number, number]>,
  ): string | undefined => {
    if (a.length < Math.min(minLevels, b.length))
      return `${side}: ${a.length} levels, the true book has ${b.length}`;
    const n = Math.min(levels, b.length, a.length);
    for (let i = 0; i < n; i++) {
      if (a[i]![0] !== b[i]![0] || a[i]![1] !== b[i]![1])
        return `${side}[${i}]: ${JSON.stringify(a[i])} vs true ${JSON.stringify(b[i])}`;
    }
    return undefined;
  };
  return differ('bids', local.bids, truth.bids) ?? differ('asks', local.asks, truth.asks);
}
