export { BookFrame, type BookRejection, MAX_UNITS } from './book-frame.js';
export {
  createUpbitExchange,
  UpbitExchange,
  type UpbitExchangeOptions,
  type UpbitStreamDefaults,
} from './exchange.js';
export { type MessageRejection, UpbitFrameParser, type UpbitFrameSink } from './frame-parser.js';
export {
  UPBIT_WS_URL,
  type UpbitKeepaliveOptions,
  UpbitOrderBookStream,
  type UpbitOrderBookStreamOptions,
  type UpbitStreamStats,
} from './order-book-stream.js';
export { parseRemainingReq, type RemainingReq } from './remaining-req.js';
export {
  UPBIT_REST_URL,
  UpbitRestClient,
  type UpbitRestClientOptions,
  type UpbitRestStats,
} from './rest-client.js';
export {
  createUpbitJwt,
  signUpbitOrder,
  type UpbitCredentials,
  type UpbitJwtAlgorithm,
  type UpbitJwtOptions,
  type UpbitOrderParams,
  type UpbitParams,
  type UpbitSignedRequest,
  upbitQueryHash,
  upbitQueryString,
  upbitSigner,
} from './signing.js';
export {
  subscriptionRequest,
  UPBIT_UNIT_COUNTS,
  type UpbitFormat,
  type UpbitUnitCount,
  unitCountFor,
} from './subscription.js';
export {
  FALLBACK_KRW_BASES,
  fallbackMarkets,
  marketFromCode,
  UPBIT_EXCHANGE_ID,
  UpbitSymbolMapper,
} from './symbols.js';
export { BTC_MARKET_TICK, krwTickSize, MIN_ORDER_VALUE, upbitTickSize, usdtTickSize } from './tick-size.js';
