// The public surface: the factory, its options, errors and the types users hold. Everything else is
// the plugin's own wire protocol.
export {
  createUpbitExchange,
  type UpbitExchange,
  type UpbitExchangeOptions,
  type UpbitStreamDefaults,
} from './exchange.js';
export {
  UPBIT_WS_URL,
  type UpbitKeepaliveOptions,
  type UpbitOrderBookStream,
  type UpbitOrderBookStreamOptions,
  type UpbitStreamStats,
} from './order-book-stream.js';
export {
  UPBIT_REST_URL,
  type UpbitRestClient,
  type UpbitRestClientOptions,
  type UpbitRestStats,
} from './rest-client.js';
export {
  createUpbitJwt,
  signUpbitOrder,
  type UpbitCredentials,
  type UpbitJwtAlgorithm,
  type UpbitOrderParams,
  type UpbitSignedRequest,
} from './signing.js';
export type { UpbitFormat } from './subscription.js';
export { fallbackMarkets, marketFromCode, UPBIT_EXCHANGE_ID } from './symbols.js';
export { krwTickSize, upbitTickSize } from './tick-size.js';
