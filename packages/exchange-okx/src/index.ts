// The public surface: the factory, its options, errors and the types users hold. Everything else is
// the plugin's own wire protocol.
export { OkxSubscriptionError } from './errors.js';
export {
  createOkxExchange,
  type OkxExchange,
  type OkxExchangeOptions,
  type OkxStreamDefaults,
} from './exchange.js';
export type { OkxBookChannel } from './frame-parser.js';
export {
  DEFAULT_WS_URL,
  type OkxOrderBookStream,
  type OkxOrderBookStreamOptions,
  type OkxStreamStats,
  type OkxSyncTuning,
} from './order-book-stream.js';
export {
  DEFAULT_REST_URL,
  type OkxBookSnapshot,
  type OkxRestClient,
  type OkxRestClientOptions,
} from './rest-client.js';
export { fallbackMarkets, OKX_EXCHANGE_ID, type OkxMarketInfo } from './symbols.js';
export type { OkxMarketRules } from './venue.js';
