export { Backoff, type BackoffOptions } from './backoff.js';
export type { ReadonlyOrderBook } from './book-view.js';
export type { Clock, TimerHandle } from './clock.js';
export { ManualClock, systemClock } from './clock.js';
export {
  AmbiguousSymbolError,
  ArbitrageError,
  ConfigError,
  CrossedBookError,
  ExchangeApiError,
  InvalidInstrumentError,
  InvalidLevelError,
  InvalidMessageError,
  isArbitrageError,
  MarketDataError,
  NetworkError,
  RateLimitError,
  SequenceGapError,
  TimeoutError,
  UnknownSymbolError,
} from './errors.js';
export type {
  InstrumentCounters,
  InstrumentHealth,
  InstrumentState,
  InstrumentStatus,
  ProviderHealth,
} from './health.js';
export { emptyInstrumentCounters, instrumentHealth, type NamedInstrument } from './health.js';
export type { InstrumentId, ParsedInstrument } from './instrument.js';
export { formatInstrumentId, isInstrumentId, parseInstrumentId, parseSymbol } from './instrument.js';
export { InstrumentSet, type ResolvedInstrument, resolveInstrument } from './instrument-set.js';
export { LagBaseline, lagReason, MAX_PLAUSIBLE_OFFSET_MS } from './lag-baseline.js';
export { Listeners } from './listeners.js';
export { createLiveBook, type LiveBookOptions, LiveBookState } from './live-book.js';
export type { Logger } from './logger.js';
export { noopLogger } from './logger.js';
export { MarketSymbolMapper, type SymbolSpelling } from './market-symbol-mapper.js';
export { type NumberOptionRule, optionalPositiveNumber, positiveNumber } from './options.js';
export { OrderBook, type OrderBookOptions } from './order-book.js';
export type {
  ExchangeFactory,
  ExchangeFactoryOptions,
  ExchangePlugin,
  ExchangeRestClient,
  ExchangeTransport,
  FetchOrderBooksOptions,
  InstrumentStateChange,
  LiveBook,
  OrderBookStream,
  OrderBookStreamOptions,
  RestClientOptions,
  RestLimits,
  SymbolMapper,
  TransportRequest,
  TransportResponse,
  WireTap,
} from './plugin.js';
export type { MarketDataProvider } from './provider.js';
export { RateBudget, type RateBudgetOptions } from './rate-budget.js';
export { RestPoller, type RestPollerOptions, type RestPollerStats } from './rest-poller.js';
export { type RetryOptions, retry, sleep } from './retry.js';
export { type BookDefect, bookDefect } from './snapshot-check.js';
export { isOlderUpdate, type UpdateMark } from './snapshot-order.js';
export type {
  BookSide,
  ExchangeId,
  MarketInfo,
  OrderBookSnapshot,
  PriceLevel,
  SnapshotSource,
  TradeSide,
  VwapResult,
} from './types.js';
export { upbitKrwTickSize } from './upbit-krw-ticks.js';
export type { MarketRules, VenueDescription, VenueFees } from './venue.js';
export { vwapLevels } from './vwap.js';
