/** Messages between the harness (parent, hosting the simulator) and one client process. */

/**
 * 'ours': WebSocketMarketDataProvider consumed through onSnapshot (a materialised snapshot per
 * update); 'ours-book': the same provider consumed through onBookUpdate (its live book, nothing
 * materialised), the counterpart of ccxt handing out its live order book.
 */
export type ClientKind = 'floor' | 'ccxt' | 'ours' | 'ours-book';
export type ExchangeKind = 'binance' | 'upbit' | 'okx';

/** What a client process is told on its command line (JSON in argv[2]). */
export interface ClientConfig {
  readonly client: ClientKind;
  readonly exchange: ExchangeKind;
  /** Native symbols: 'BTCUSDT', 'KRW-BTC' or 'BTC-USDT'. */
  readonly symbols: readonly string[];
  readonly restUrl: string;
  readonly wsUrl: string;
  /** Levels per side sent back for the book comparison. */
  readonly compareLevels: number;
  /** How 'ours' keeps books: the provider (default when available) or the exchange stream directly. */
  readonly oursVia?: 'provider' | 'stream';
  /** Updates each symbol may record (id and time); more are counted but not recorded. */
  readonly capacity: number;
  /** Binance REST snapshot size 'ours' asks for (default 1000, what ccxt asks for). */
  readonly snapshotLimit?: number;
  /** Binance snapshot pacing 'ours' uses (default: the plugin's, 2 at once, 100 ms apart). */
  readonly snapshotPacing?: SnapshotPacing;
  /** OKX subscribe pacing 'ours' uses (diagnosis; default the plugin's). */
  readonly okxSubscribe?: OkxSubscribePacing;
}

/** How ours sends OKX subscribe requests (default: the plugin's, 1 instrument per request, 350 ms apart). */
export interface OkxSubscribePacing {
  readonly instrumentsPerSubscribe: number;
  readonly subscribeIntervalMs: number;
}

export interface SnapshotPacing {
  readonly maxConcurrent: number;
  readonly minIntervalMs: number;
}

export type ParentMessage =
  | { readonly type: 'start' }
  | { readonly type: 'expect'; readonly finalIds: Readonly<Record<string, number>> }
  | { readonly type: 'report' }
  | { readonly type: 'exit' };

/** One symbol's applied updates: the id the book reflected and when (hrtime ns as a number). */
export interface AppliedUpdates {
  readonly ids: Float64Array;
  readonly times: Float64Array;
  /** Wake-ups seen (may exceed ids.length when the capacity ran out). */
  readonly count: number;
}

export interface ClientBook {
  readonly bids: ReadonlyArray<readonly [number, number]>;
  readonly asks: ReadonlyArray<readonly [number, number]>;
}

export interface ClientReport {
  readonly type: 'report';
  /** True when every symbol reached the final id the parent announced. */
  readonly complete: boolean;
  /** hrtime ns when the last symbol reached its final id (0 when incomplete). */
  readonly completedAt: number;
  /** User + system CPU microseconds from 'start' to the report. */
  readonly cpuMicros: number;
  /** VmHWM of the client process, kB. */
  readonly peakRssKb: number;
  readonly applied: Readonly<Record<string, AppliedUpdates>>;
  /** Undefined for the floor, which keeps no book. */
  readonly books: Readonly<Record<string, ClientBook>> | undefined;
  /** Client-specific facts (implementation used, gaps, resyncs, errors). */
  readonly notes: Readonly<Record<string, string | number>>;
}

/** First-book runs: when each symbol's first usable book arrived (hrtime ns as numbers). */
export interface FirstBookReport {
  readonly type: 'first-book';
  /** Just before the client started (loadMarkets included, imports excluded). */
  readonly startedAt: number;
  /** Per symbol, when its first usable book arrived; NaN when none did. */
  readonly firstAt: Readonly<Record<string, number>>;
  readonly notes: Readonly<Record<string, string | number>>;
}

export type ClientMessage =
  | { readonly type: 'loaded' }
  | FirstBookReport
  | { readonly type: 'ready' }
  | { readonly type: 'started' }
  | ClientReport
  | { readonly type: 'failed'; readonly message: string };
