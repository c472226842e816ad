import { ManualClock, RateBudget, sleep } from '@arbitrage/core';
import { depthWeight, EXCHANGE_INFO_WEIGHT } from '@arbitrage/exchange-binance';
import { RequestScheduler } from '@arbitrage/exchange-kit';

export interface AllLiveModelOptions {
  readonly symbols: number;
  /** Snapshot size (levels); its weight is Binance's tier for it. */
  readonly snapshotLimit: number;
  /** The client-side budget (default 5000 of Binance's 6000 a minute, the plugin's default). */
  readonly weightPerMinute?: number;
  /** The plugin's scheduler defaults: 20 at once, no spacing beyond the budget's. */
  readonly maxConcurrent?: number;
  readonly minIntervalMs?: number;
  /** Round trip of one snapshot request, ms (default 0: the pacing alone). */
  readonly requestMs?: number;
}

export interface AllLiveModelResult {
  readonly weight: number;
  /** ms from loadMarkets to the first and to the last snapshot answered. */
  readonly firstMs: number;
  readonly allMs: number;
  /** Snapshots answered in each minute from the start. */
  readonly perMinute: readonly number[];
}

/**
 * When would N symbols all have their snapshot? The plugin's own RequestScheduler (the kit's) and RateBudget,
 * driven by a ManualClock: loadMarkets (exchangeInfo, weight 20) at time 0, then every symbol's
 * snapshot asked for at once, as the stream does once its SUBSCRIBE is acknowledged. On a quiet
 * market a symbol is live when its snapshot arrives; on an active one with its next diff (≤ 100 ms).
 * SUBSCRIBE pacing (200 streams per request, 300 ms apart) is left out: it adds 0.3 s per 200 symbols.
 */
export async function modelAllLive(options: AllLiveModelOptions): Promise<AllLiveModelResult> {
  const clock = new ManualClock();
  const startedAt = clock.now();
  const budget = new RateBudget({ limit: options.weightPerMinute ?? 5_000, windowMs: 60_000, clock });
  budget.tryTake(EXCHANGE_INFO_WEIGHT);
  const scheduler = new RequestScheduler({
    budget,
    clock,
    ...(options.maxConcurrent === undefined ? {} : { maxConcurrent: options.maxConcurrent }),
    ...(options.minIntervalMs === undefined ? {} : { minIntervalMs: options.minIntervalMs }),
  });
  const weight = depthWeight(options.snapshotLimit);
  const requestMs = options.requestMs ?? 0;
  const answeredAt: number[] = [];
  const tasks = Array.from({ length: options.symbols }, () =>
    scheduler.run(weight, new AbortController().signal, async (taskSignal) => {
      // What the REST client does once the scheduler lets a request go: charge the budget, send.
      budget.tryTake(weight);
      if (requestMs > 0) await sleep(requestMs, clock, taskSignal);
      answeredAt.push(clock.now() - startedAt);
    }),
  );
  try {
    while (answeredAt.length < options.symbols) {
      const delay = clock.nextTimerDelay();
      if (delay === undefined) {
        const before = answeredAt.length;
        await clock.advanceAsync(0);
        if (answeredAt.length === before && clock.nextTimerDelay() === undefined)
          throw new Error('modelAllLive: the scheduler stopped with snapshots outstanding');
        continue;
      }
      await clock.advanceAsync(delay);
    }
    await Promise.all(tasks);
  } finally {
    scheduler.close();
  }
  const perMinute: number[] = [];
  for (const at of answeredAt) {
    const minute = Math.floor(at / 60_000);
    while (perMinute.length <= minute) perMinute.push(0);
    perMinute[minute]!++;
  }
  return {
    weight,
    firstMs: answeredAt[0] ?? Number.NaN,
    allMs: answeredAt[answeredAt.length - 1] ?? Number.NaN,
    perMinute,
  };
}
