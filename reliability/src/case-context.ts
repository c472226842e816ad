import type { ExchangePlugin, InstrumentCounters, InstrumentHealth } from '@arbitrage/core';
import type { ExchangeName, FaultProxy, Simulator } from '@arbitrage/simulator';
import type { BookChecker } from './book-checker.js';
import type { MarketDriver } from './driver.js';
import type { ErrorTap } from './error-tap.js';
import type { ObservedProvider } from './observed-provider.js';
import type { ProviderKind } from './providers.js';
import type { TruthRecorder } from './truth.js';

/** Everything a scenario can touch while it runs. */
export interface CaseContext {
  readonly exchange: ExchangeName;
  readonly kind: ProviderKind;
  readonly sim: Simulator;
  /** In front of the exchange's WebSocket port. */
  readonly wsProxy: FaultProxy;
  /** In front of the exchange's REST port. */
  readonly restProxy: FaultProxy;
  readonly plugin: ExchangePlugin;
  readonly provider: ObservedProvider;
  readonly checker: BookChecker;
  readonly driver: MarketDriver;
  readonly truth: TruthRecorder;
  readonly tap: ErrorTap;
  /** Instrument ids, canonical symbols and native symbols, index-aligned. */
  readonly ids: readonly string[];
  readonly symbols: readonly string[];
  readonly natives: readonly string[];
  /** Measurements a scenario wants in the results table. */
  readonly metrics: Record<string, number | string>;
}

/** Per-instrument health now. */
export function healthOf(ctx: CaseContext): InstrumentHealth[] {
  return Object.values(ctx.provider.health().instruments);
}

/** Counters summed over the case's instruments. */
export function countersOf(ctx: CaseContext, ids: readonly string[] = ctx.ids): InstrumentCounters {
  const sum: InstrumentCounters = {
    updates: 0,
    invalidMessages: 0,
    droppedStale: 0,
    gaps: 0,
    crossed: 0,
    resyncs: 0,
    staleEvents: 0,
  };
  for (const health of healthOf(ctx)) {
    if (!ids.includes(health.instrument)) continue;
    for (const key of Object.keys(sum) as (keyof InstrumentCounters)[]) sum[key] += health.counters[key];
  }
  return sum;
}

export function counterDelta(after: InstrumentCounters, before: InstrumentCounters): InstrumentCounters {
  const out = { ...after };
  for (const key of Object.keys(out) as (keyof InstrumentCounters)[]) out[key] = after[key] - before[key];
  return out;
}

/** States an instrument went through since `since` (from the checker's record of health changes). */
export function statesSince(ctx: CaseContext, id: string, since: number): string[] {
  return ctx.checker
    .instrument(id)
    .transitions.filter((t) => t.at >= since)
    .map((t) => (t.source === 'rest' ? `${t.state}(rest)` : t.state));
}
