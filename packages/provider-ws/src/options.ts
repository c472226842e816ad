import type { Clock, ExchangePlugin, Logger, NumberOptionRule } from '@arbitrage/core';

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

/** Rules for `positiveNumber` (core): a duration, and a depth in levels. */
export const MS: NumberOptionRule = { unit: 'ms' };
export const LEVELS: NumberOptionRule = { integer: true, unit: 'levels per side' };
