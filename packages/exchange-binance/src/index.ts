// The public surface: the factory, its options, errors and the types users hold. Everything else is
// the plugin's own wire protocol.
export { SubscriptionError } from './errors.js';
export {
  type BinanceExchange,
  type BinanceExchangeOptions,
  type BinanceStreamDefaults,
  createBinanceExchange,
} from './exchange.js';
export type {
  BinanceBookMode,
  BinanceOrderBookStream,
  BinanceOrderBookStreamOptions,
  ConnectionTuning,
  SyncTuning,
} from './order-book-stream.js';
export { DEFAULT_WS_URL } from './order-book-stream.js';
export {
  BINANCE_WEIGHT_LIMIT_PER_MINUTE,
  type BinanceRestClient,
  type BinanceRestClientOptions,
  DEFAULT_REST_URL,
  type DepthSnapshot,
  depthWeight,
  EXCHANGE_INFO_WEIGHT,
} from './rest-client.js';
export {
  type BinanceCredentials,
  type BinanceOrderParams,
  type SignedRequest,
  signOrderRequest,
} from './signing.js';
export { BINANCE_EXCHANGE_ID, fallbackMarkets } from './symbols.js';
