import type { OrderBookSnapshot } from '@arbitrage/core';
import { DEFAULT_CONFIG } from '../config/defaults.js';
import { deepMerge } from '../config/merge.js';
import { type ResolvedRunnerConfig, runnerConfigSchema } from '../config/schema.js';
import type { TextSink } from '../logging/create-logger.js';
import type { MarketHandle } from '../market/market.js';

/** A TextSink that keeps what was written. */
export class MemorySink implements TextSink {
  readonly chunks: string[] = [];
  write(text: string): void {
    this.chunks.push(text);
  }
  get text(): string {
    return this.chunks.join('');
  }
}

/**
 * Engine settings for tests that hand-move a flat market: pairs converge to a fixed premium of 0, so
 * a book moved 2 % away trades at once, with no reference to warm up first.
 */
export const FIXED_REFERENCE = { engine: { baseline: { mode: 'fixed', premium: 0 } } } as const;

/** The default config with `overrides` deep-merged in, validated. */
export function testConfig(overrides: Record<string, unknown> = {}): ResolvedRunnerConfig {
  const config = runnerConfigSchema.parse(deepMerge(structuredClone(DEFAULT_CONFIG), overrides));
  if (config.assets === 'all') throw new Error('testConfig: resolve assets: all with resolveAllAssets');
  return { ...config, assets: config.assets };
}

/** Handles and requests keeping the event loop alive, minus timers (vitest's own come and go). */
export function openHandles(): string[] {
  return process
    .getActiveResourcesInfo()
    .filter((kind) => kind !== 'Timeout' && kind !== 'Immediate')
    .sort();
}

/** Handle kinds of which `after` has more than `before` (handles closing from earlier work may go). */
export function handlesAdded(before: readonly string[], after: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const kind of before) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  const added: string[] = [];
  for (const kind of after) {
    const left = counts.get(kind) ?? 0;
    if (left > 0) counts.set(kind, left - 1);
    else added.push(kind);
  }
  return added;
}

/**
 * A market at loopback addresses nothing listens on: the plugins keep their built-in market lists
 * and nothing connects.
 */
export const UNREACHABLE_MARKET: MarketHandle = {
  kind: 'sim',
  label: 'SIMULATED MARKET',
  endpointsFor: () => ({ restUrl: 'http://127.0.0.1:9', wsUrl: 'ws://127.0.0.1:9' }),
  simulator: undefined,
  timeScale: 1,
  preset: undefined,
  stop: async () => {},
};

/** A one-level book 0.01 % either side of `mid`, deep enough for any test trade. */
export function deepBook(exchange: string, symbol: string, mid: number, at: number): OrderBookSnapshot {
  return {
    exchange,
    symbol,
    nativeSymbol: symbol,
    bids: [[mid * 0.9999, 1_000_000]],
    asks: [[mid * 1.0001, 1_000_000]],
    exchangeTime: at,
    receivedAt: at,
    source: 'ws',
  };
}
