import { ConfigError } from '@arbitrage/core';
import { hmacQuerySigner, hmacSha256Hex, type RequestSigner } from '@arbitrage/exchange-kit';

/** Parameters of POST /api/v3/order. Decimals are strings, so no float formatting can change them. */
export interface BinanceOrderParams {
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly type: 'LIMIT' | 'MARKET' | 'LIMIT_MAKER';
  readonly timeInForce?: 'GTC' | 'IOC' | 'FOK';
  readonly quantity?: string;
  readonly quoteOrderQty?: string;
  readonly price?: string;
  readonly newClientOrderId?: string;
  readonly recvWindow?: number;
  /** ms since epoch, from a clock synchronised with Binance's serverTime. */
  readonly timestamp: number;
}

export interface BinanceCredentials {
  readonly apiKey: string;
  readonly secretKey: string;
}

/** A request ready to send (this package never sends it). */
export interface SignedRequest {
  readonly method: 'POST';
  readonly path: '/api/v3/order';
  /** The full query string including `&signature=…`. */
  readonly query: string;
  readonly headers: { readonly 'X-MBX-APIKEY': string };
}

const DECIMAL = /^\d+(?:\.\d+)?$/;
const KEY_ORDER = [
  'symbol',
  'side',
  'type',
  'timeInForce',
  'quantity',
  'quoteOrderQty',
  'price',
  'newClientOrderId',
  'recvWindow',
  'timestamp',
] as const;

/** HMAC-SHA256 of the exact query string, hex, as Binance's SIGNED endpoints expect. */
export function signQuery(query: string, secretKey: string): string {
  return hmacSha256Hex(query, secretKey);
}

/** The RestPipeline signer for Binance's SIGNED endpoints: `&signature=` appended, X-MBX-APIKEY sent. */
export function binanceSigner(credentials: BinanceCredentials): RequestSigner {
  return hmacQuerySigner({ ...credentials, apiKeyHeader: 'X-MBX-APIKEY' });
}

/** The order's query string in a fixed parameter order, values URL-encoded. */
export function orderQuery(params: BinanceOrderParams): string {
  for (const key of ['quantity', 'quoteOrderQty', 'price'] as const) {
    const value = params[key];
    if (value !== undefined && !DECIMAL.test(value)) {
      throw new ConfigError(`order ${key} "${value}" is not a plain positive decimal string such as "0.1"`);
    }
  }
  if (!Number.isSafeInteger(params.timestamp) || params.timestamp <= 0) {
    throw new ConfigError(`order timestamp ${params.timestamp} is not a time in ms since epoch`);
  }
  const parts: string[] = [];
  for (const key of KEY_ORDER) {
    const value = params[key];
    if (value !== undefined) parts.push(`${key}=${encodeURIComponent(String(value))}`);
  }
  return parts.join('&');
}

/**
 * Signs a POST /api/v3/order request (HMAC-SHA256 over the query) with the same signer the
 * RestPipeline uses. Pure: nothing is sent.
 */
export function signOrderRequest(params: BinanceOrderParams, credentials: BinanceCredentials): SignedRequest {
  const signed = binanceSigner(credentials)({
    method: 'POST',
    path: '/api/v3/order',
    query: orderQuery(params),
    body: undefined,
  });
  return {
    method: 'POST',
    path: '/api/v3/order',
    query: signed.query,
    headers: { 'X-MBX-APIKEY': credentials.apiKey },
  };
}
