import type { ReadonlyOrderBook } from './book-view.js';
import type { Clock } from './clock.js';
import type { ArbitrageError } from './errors.js';
import type { InstrumentCounters, InstrumentStatus } from './health.js';
import type { Logger } from './logger.js';
import type { ExchangeId, MarketInfo, OrderBookSnapshot } from './types.js';
import type { VenueDescription } from './venue.js';

/** Maps an exchange's native symbols to canonical BASE/QUOTE symbols and back. */
export interface SymbolMapper {
  /** 'KRW-BTC' -> 'BTC/KRW'. Throws UnknownSymbolError naming the symbol. */
  toCanonical(nativeSymbol: string): string;
  /** 'BTC/KRW' -> 'KRW-BTC'. Throws UnknownSymbolError naming the symbol. */
  toNative(symbol: string): string;
  /** Whether a canonical or native symbol is known. */
  has(symbolOrNative: string): boolean;
  /** Every known market. */
  markets(): readonly MarketInfo[];
}

export interface FetchOrderBooksOptions {
  /** Levels per side to ask for (the exchange may cap it). */
  readonly depth?: number;
  readonly signal?: AbortSignal;
}

/** An exchange's REST market-data API. Every request has a deadline; none hangs. */
export interface ExchangeRestClient {
  /** Loads the market list; the plugin's SymbolMapper is refreshed from it. */
  loadMarkets(): Promise<readonly MarketInfo[]>;
  /** Order books for canonical symbols, batched where the exchange allows it. Snapshots have source 'rest'. */
  fetchOrderBooks(symbols: readonly string[], options?: FetchOrderBooksOptions): Promise<OrderBookSnapshot[]>;
  /** Releases sockets (keep-alive agents). */
  close(): void;
}

/** What REST consumers need to know to stay inside the exchange's limits. */
export interface RestLimits {
  /** How many symbols one order-book request can carry (Upbit: many; Binance: 1). */
  readonly maxSymbolsPerRequest: number;
  /** Order-book requests per second that keep well inside the exchange's limit. */
  readonly orderBookRequestsPerSecond: number;
}

/**
 * One instrument's live book as a stream keeps it. The object is stable for the life of the stream:
 * its fields change in place on every update, so holding it costs nothing per update.
 */
export interface LiveBook {
  readonly exchange: ExchangeId;
  readonly symbol: string;
  readonly nativeSymbol: string;
  readonly book: ReadonlyOrderBook;
  /** Exchange update id of the last applied update, where the exchange has one. */
  readonly sequence: number | undefined;
  readonly exchangeTime: number;
  readonly receivedAt: number;
  /** Materialises an immutable snapshot (cached until the book changes). */
  snapshot(depth?: number): OrderBookSnapshot;
}

export interface InstrumentStateChange extends InstrumentStatus {
  readonly exchange: ExchangeId;
  readonly symbol: string;
  readonly previous: InstrumentStatus['state'];
}

export interface OrderBookStreamOptions {
  /** Canonical symbols to keep books for. */
  readonly symbols: readonly string[];
  /** Levels per side to keep (exchange-specific default). */
  readonly depth?: number;
  /** No update for this long marks a symbol stale. */
  readonly staleAfterMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** A WebSocket order-book stream for a set of symbols on one exchange. */
export interface OrderBookStream {
  start(): Promise<void>;
  /** Leaves no socket, timer or listener behind. */
  stop(): Promise<void>;
  /** Called after every update applied to a live book. Returns unsubscribe. */
  onUpdate(listener: (book: LiveBook) => void): () => void;
  onStateChange(listener: (change: InstrumentStateChange) => void): () => void;
  onError(listener: (error: ArbitrageError) => void): () => void;
  /** The live book of a canonical symbol, once one exists. */
  book(symbol: string): LiveBook | undefined;
  status(symbol: string): InstrumentStatus | undefined;
  counters(symbol: string): Readonly<InstrumentCounters> | undefined;
}

export interface RestClientOptions {
  readonly timeoutMs?: number;
  readonly logger?: Logger;
  readonly clock?: Clock;
}

/** The contract an exchange package implements. */
export interface ExchangePlugin {
  readonly id: ExchangeId;
  readonly symbols: SymbolMapper;
  readonly restLimits: RestLimits;
  /** Quote currency, fees and market rules: what a strategy needs to know of this venue. */
  readonly venue: VenueDescription;
  /** Loads the market list from the exchange; keeps the built-in fallback when it cannot. */
  loadMarkets(): Promise<readonly MarketInfo[]>;
  /** The plugin's shared REST client (one per plugin instance). */
  rest(): ExchangeRestClient;
  createOrderBookStream(options: OrderBookStreamOptions): OrderBookStream;
  /** Releases the plugin's own resources (REST keep-alive sockets). */
  close(): Promise<void>;
}

/**
 * Receives what an exchange sent, as it arrived, before any parsing: every WebSocket frame and REST
 * response body of a plugin, with its local arrival time. The runner's `record` command writes it
 * to disk. Calls sit on the hot path: they must be cheap, must not throw and must not keep `data`
 * beyond the call unless they copy it.
 */
export interface WireTap {
  /**
   * A WebSocket connection of the plugin opened. Returns the id the tap gives it (unique per
   * exchange), which the connection's frames and close then carry.
   */
  opened(exchange: ExchangeId, at: number, url: string): number;
  /** One inbound WebSocket frame, undecoded. */
  frame(exchange: ExchangeId, connection: number, receivedAt: number, data: Buffer, binary: boolean): void;
  /** The server closed the connection (or it dropped) with this close code; the plugin's own closes are not reported. */
  closed(exchange: ExchangeId, connection: number, at: number, code: number): void;
  /** One REST answer: status, the request's method and path with query, and the body as received. */
  rest(
    exchange: ExchangeId,
    receivedAt: number,
    status: number,
    method: string,
    path: string,
    body: Buffer,
  ): void;
}

/** One REST request as a plugin sends it: method, path and query below the base URL, headers, body. */
export interface TransportRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly signal: AbortSignal;
}

/** A whole REST answer: any status is an answer; header names in lower case. */
export interface TransportResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: Buffer;
}

/**
 * Replaces a plugin's network (replay, tests): how its WebSocket connections are opened and how its
 * REST requests are answered. Everything above it (parsing, books, state, staleness) runs as usual.
 */
export interface ExchangeTransport {
  /** Called for each WebSocket dial instead of connecting; returns a socket with `ws`'s events and methods. */
  openSocket(url: string): object;
  /** Answers a REST request instead of sending it (rejecting is a network failure). */
  request(request: TransportRequest): Promise<TransportResponse>;
  /** Source of the reconnect backoff's jitter, in [0, 1): a replay passes a seeded one to be reproducible. */
  readonly random?: () => number;
}

/** What every exchange factory accepts: `createUpbitExchange({ restUrl, wsUrl, ... })`. */
export interface ExchangeFactoryOptions {
  readonly restUrl?: string;
  readonly wsUrl?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly restTimeoutMs?: number;
  /** Sees every frame and REST body the plugin receives (recording); none by default. */
  readonly wireTap?: WireTap;
  /** Replaces the network (replay); default real sockets and HTTP. */
  readonly transport?: ExchangeTransport;
}

export type ExchangeFactory = (options?: ExchangeFactoryOptions) => ExchangePlugin;
