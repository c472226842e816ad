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
  /**
   * Levels per side the reader needs from each exchange stream, passed to the plugin's
   * `createOrderBookStream` as its `depth` (default: each plugin's own). Binance sizes its REST
   * snapshots from it: with 20, a snapshot is 100 levels (weight 5) instead of the plugin's default
   * 1000 (weight 50), so hundreds of Binance books go live in seconds instead of minutes. Upbit
   * serves at most 30 levels and refuses more.
   */
  readonly streamDepth?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export const DEFAULT_SNAPSHOT_DEPTH = 20;

/** Rules for `positiveNumber` (core): a duration, and a depth in levels. */
export const MS: NumberOptionRule = { unit: 'ms' };
export const LEVELS: NumberOptionRule = { integer: true, unit: 'levels per side' };
