import { type Clock, ConfigError, type ExchangePlugin, type Logger } from '@arbitrage/core';

export interface WebSocketMarketDataProviderOptions {
  /** The exchange plugins to stream from (`createUpbitExchange(...)`, `createBinanceExchange(...)`). */
  readonly exchanges: readonly ExchangePlugin[];
  /** Instrument ids ('upbit:BTC/KRW') or native symbols ('KRW-BTC', 'BTCUSDT'). */
  readonly symbols: readonly string[];
  /** No update for this long marks an instrument stale (default: each plugin's own, 5000 ms). */
  readonly staleAfterMs?: number;
  /** Levels per side in the snapshots served (default 20). */
  readonly depth?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export const DEFAULT_SNAPSHOT_DEPTH = 20;

/** A positive finite number of ms, or the fallback when absent; ConfigError otherwise. */
export function positiveMs(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && value > 0 && value < Number.POSITIVE_INFINITY)) {
    throw new ConfigError(`${name} must be a positive number of ms, got ${String(value)}`);
  }
  return value;
}

/** Levels per side: a positive integer. */
export function snapshotDepth(value: number | undefined): number {
  if (value === undefined) return DEFAULT_SNAPSHOT_DEPTH;
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new ConfigError(`depth must be a positive integer number of levels per side, got ${String(value)}`);
  }
  return value;
}
