import { ConfigError } from '@arbitrage/core';
import {
  type JwtAlgorithm,
  jwtSigner,
  queryHashJwt,
  type RequestSigner,
  sha512Hex,
} from '@arbitrage/exchange-kit';

/**
 * Upbit request signing, as pure functions for later live trading (nothing here sends anything).
 *
 * Upbit authenticates with a JWT in `Authorization: Bearer <token>`. The payload carries
 * `access_key`, a fresh `nonce` (UUID) and, when the request has parameters, `query_hash` (SHA-512
 * hex of the query string) with `query_hash_alg: 'SHA512'`. For a POST the query string is built
 * from the JSON body's fields in the same order, not URL-encoded (Upbit's samples use
 * `unquote(urlencode(params))`); arrays are written `key[]=a&key[]=b`. The token is signed with
 * the secret key: HS512 in Upbit's current authentication guide (its sample token's header is
 * {"alg":"HS512","typ":"JWT"}); HS256, which older guides recommended, is accepted too.
 */

export type UpbitJwtAlgorithm = JwtAlgorithm;

export type UpbitParamValue = string | number | boolean | readonly (string | number)[];
export type UpbitParams = Readonly<Record<string, UpbitParamValue | undefined>>;

export interface UpbitCredentials {
  readonly accessKey: string;
  readonly secretKey: string;
}

export interface UpbitJwtOptions extends UpbitCredentials {
  /** Request parameters (query or JSON body); omitted or empty means no query_hash. */
  readonly params?: UpbitParams;
  /** Defaults to a random UUID; inject one for reproducible tests. */
  readonly nonce?: string;
  /** Default 'HS512'. */
  readonly algorithm?: UpbitJwtAlgorithm;
}

/** The query string Upbit hashes: `key=value` pairs in insertion order, unencoded; undefined values skipped. */
export function upbitQueryString(params: UpbitParams): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value) parts.push(`${key}[]=${String(item)}`);
    } else {
      parts.push(`${key}=${String(value)}`);
    }
  }
  return parts.join('&');
}

/** SHA-512 of the query string, lower-case hex. */
export function upbitQueryHash(queryString: string): string {
  return sha512Hex(queryString);
}

/** The signed JWT (without the `Bearer ` prefix). */
export function createUpbitJwt(options: UpbitJwtOptions): string {
  if (!options.accessKey || !options.secretKey) {
    throw new ConfigError('Upbit signing needs a non-empty accessKey and secretKey');
  }
  return queryHashJwt({
    accessKey: options.accessKey,
    secretKey: options.secretKey,
    queryString: options.params === undefined ? '' : upbitQueryString(options.params),
    ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
    ...(options.algorithm === undefined ? {} : { algorithm: options.algorithm }),
  });
}

/**
 * The RestPipeline signer for Upbit's private endpoints: `Authorization: Bearer <JWT>` with a fresh
 * nonce per attempt and the query_hash of the query as sent, unencoded.
 */
export function upbitSigner(
  credentials: UpbitCredentials,
  options: { readonly algorithm?: UpbitJwtAlgorithm } = {},
): RequestSigner {
  return jwtSigner({ ...credentials, ...options });
}

/** POST /v1/orders parameters (strings for amounts, so nothing is lost to float formatting). */
export interface UpbitOrderParams {
  readonly market: string;
  /** 'bid' buys, 'ask' sells. */
  readonly side: 'bid' | 'ask';
  /** 'limit' (volume + price), 'price' (market buy by total price), 'market' (market sell by volume), 'best'. */
  readonly ord_type: 'limit' | 'price' | 'market' | 'best';
  readonly volume?: string;
  readonly price?: string;
  readonly time_in_force?: 'ioc' | 'fok' | 'post_only';
  readonly identifier?: string;
  readonly smp_type?: 'cancel_maker' | 'cancel_taker' | 'reduce';
}

export interface UpbitSignedRequest {
  readonly method: 'POST';
  readonly path: '/v1/orders';
  readonly headers: Readonly<Record<string, string>>;
  /** JSON body; its fields are exactly the hashed query string's, in the same order. */
  readonly body: string;
}

/**
 * Builds (but never sends) a signed POST /v1/orders request. Checks the fields each order type needs,
 * so a malformed order fails here rather than at the exchange.
 */
export function signUpbitOrder(
  credentials: UpbitCredentials,
  order: UpbitOrderParams,
  options: { readonly nonce?: string; readonly algorithm?: UpbitJwtAlgorithm } = {},
): UpbitSignedRequest {
  const need = (field: 'volume' | 'price'): void => {
    const value = order[field];
    if (value === undefined || !/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) {
      throw new ConfigError(
        `Upbit ${order.ord_type} order needs ${field} as a positive decimal string, got ${String(value)}`,
      );
    }
  };
  if (!/^[A-Z0-9]+-[A-Z0-9]+$/.test(order.market)) {
    throw new ConfigError(
      `Upbit order market must be an upper-case code such as KRW-BTC, got ${order.market}`,
    );
  }
  if (order.ord_type === 'limit') {
    need('volume');
    need('price');
  } else if (order.ord_type === 'price') {
    if (order.side !== 'bid')
      throw new ConfigError("Upbit ord_type 'price' is a market buy: side must be 'bid'");
    need('price');
  } else if (order.ord_type === 'market') {
    if (order.side !== 'ask')
      throw new ConfigError("Upbit ord_type 'market' is a market sell: side must be 'ask'");
    need('volume');
  } else {
    // 'best': best-price order, IOC or FOK; a buy gives the total price, a sell the volume.
    if (order.time_in_force !== 'ioc' && order.time_in_force !== 'fok') {
      throw new ConfigError("Upbit ord_type 'best' needs time_in_force 'ioc' or 'fok'");
    }
    need(order.side === 'bid' ? 'price' : 'volume');
  }
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(order)) if (value !== undefined) params[key] = String(value);
  const token = createUpbitJwt({ ...credentials, params, ...options });
  return {
    method: 'POST',
    path: '/v1/orders',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify(params),
  };
}
