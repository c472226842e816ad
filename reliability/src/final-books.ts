import type { InstrumentHealth } from '@arbitrage/core';
import { waitFor } from '@arbitrage/test-support';
import type { ObservedProvider } from './observed-provider.js';
import { type TruthRecorder, truthKey } from './truth.js';

function describe(health: readonly InstrumentHealth[]): string {
  return health
    .map((h) => `${h.instrument}=${h.state}/${h.source}${h.reason ? ` (${h.reason})` : ''}`)
    .join(', ');
}

/**
 * Waits (≤ `timeoutMs`) until every instrument is live and serves the current true book (the head
 * of the truth history, or the version just before it: the market keeps moving, one step is 20 ms),
 * equal to it level by level for the top `depth` levels. The market is not paused: a paused Upbit
 * market sends nothing, so a correct client would rightly call its books stale.
 */
export async function expectFinalBooks(
  provider: ObservedProvider,
  truths: readonly TruthRecorder[],
  depth: number,
  timeoutMs = 3_000,
): Promise<string[]> {
  const failures: string[] = [];
  for (const truth of truths) {
    for (const native of truth.natives) {
      const history = truth.history(native);
      const health = () =>
        Object.values(provider.health().instruments).find(
          (h) => h.exchange === truth.exchange && h.nativeSymbol === native,
        );
      let last = 'nothing served';
      const current = (): boolean => {
        const h = health();
        const latest = h ? provider.getLatestSnapshot(h.instrument) : undefined;
        const head = history.head();
        if (!h || !latest || !head) return false;
        const key = truthKey(latest);
        const entry = key === undefined ? undefined : history.get(key);
        last = `${h.state}, served ${key}, truth head ${head.key}`;
        if (h.state !== 'live' || !entry || entry.index < head.index - 1) return false;
        const same =
          JSON.stringify(latest.bids.slice(0, depth)) === JSON.stringify(entry.bids.slice(0, depth)) &&
          JSON.stringify(latest.asks.slice(0, depth)) === JSON.stringify(entry.asks.slice(0, depth));
        if (!same) last = `served book at ${key} differs from the true book at ${key}`;
        return same;
      };
      try {
        await waitFor(
          current,
          timeoutMs,
          () =>
            `${truth.exchange} ${native} live at the current true book (${last}; ${describe(Object.values(provider.health().instruments))})`,
        );
      } catch (error) {
        failures.push(`final book: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return failures;
}
