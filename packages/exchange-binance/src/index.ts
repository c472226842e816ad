export { parseDecimal, parseDecimalString } from './decimal.js';
export {
  BinanceDepthConnection,
  type BinanceDepthConnectionOptions,
  type DepthConnectionHost,
} from './depth-connection.js';
export { MAX_PRICE, MAX_QUANTITY } from './depth-validation.js';
export { SubscriptionError } from './errors.js';
export {
  BinanceExchange,
  type BinanceExchangeOptions,
  type BinanceStreamDefaults,
  createBinanceExchange,
} from './exchange.js';
export { BinanceFrameParser, type ControlReply, type FrameKind } from './frame-parser.js';
export {
  type BinanceBookMode,
  BinanceOrderBookStream,
  type BinanceOrderBookStreamOptions,
  type ConnectionTuning,
  DEFAULT_WS_URL,
  type SyncTuning,
} from './order-book-stream.js';
export { PartialDepthBook, type PartialDepthBookOptions } from './partial-depth.js';
export {
  BINANCE_WEIGHT_LIMIT_PER_MINUTE,
  BinanceRestClient,
  type BinanceRestClientOptions,
  DEFAULT_REST_URL,
  type DepthSnapshot,
  depthWeight,
  EXCHANGE_INFO_WEIGHT,
} from './rest-client.js';
export {
  type BinanceCredentials,
  type BinanceOrderParams,
  binanceSigner,
  orderQuery,
  type SignedRequest,
  signOrderRequest,
  signQuery,
} from './signing.js';
export {
  BINANCE_EXCHANGE_ID,
  BinanceSymbolMapper,
  FALLBACK_USDT_BASES,
  fallbackMarkets,
  marketsFromExchangeInfo,
} from './symbols.js';
