import { createHash, createHmac, randomUUID } from 'node:crypto';
import { ConfigError } from '@arbitrage/core';
import type { RequestSigner } from './types.js';

/** HMAC-SHA256 of `text`, lower-case hex: Binance's signature of a SIGNED request's query. */
export function hmacSha256Hex(text: string, secretKey: string): string {
  return createHmac('sha256', secretKey).update(text, 'utf8').digest('hex');
}

/** `query&signature=<HMAC-SHA256 hex of query>`. */
export function signedQuery(query: string, secretKey: string): string {
  return `${query}&signature=${hmacSha256Hex(query, secretKey)}`;
}

export interface HmacQuerySignerOptions {
  readonly apiKey: string;
  readonly secretKey: string;
  /** Header carrying the API key (Binance: X-MBX-APIKEY). */
  readonly apiKeyHeader: string;
}

/** Signs the query as sent with HMAC-SHA256 (`&signature=` appended) and adds the API key header. */
export function hmacQuerySigner(options: HmacQuerySignerOptions): RequestSigner {
  if (!options.apiKey || !options.secretKey) {
    throw new ConfigError('HMAC signing needs a non-empty apiKey and secretKey');
  }
  return ({ query }) => ({
    query: signedQuery(query, options.secretKey),
    headers: { [options.apiKeyHeader]: options.apiKey },
  });
}

export type JwtAlgorithm = 'HS256' | 'HS512';

/** SHA-512 of `text`, lower-case hex. */
export function sha512Hex(text: string): string {
  return createHash('sha512').update(text, 'utf8').digest('hex');
}

/** A compact JWS: base64url header `{"alg","typ":"JWT"}`, payload, HMAC signature. */
export function createHsJwt(
  payload: Readonly<Record<string, string | number>>,
  secretKey: string,
  algorithm: JwtAlgorithm,
): string {
  if (algorithm !== 'HS256' && algorithm !== 'HS512') {
    throw new ConfigError(`JWT algorithm must be HS256 or HS512, got ${String(algorithm)}`);
  }
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg: algorithm, typ: 'JWT' })}.${part(payload)}`;
  const signature = createHmac(algorithm === 'HS512' ? 'sha512' : 'sha256', secretKey)
    .update(input)
    .digest('base64url');
  return `${input}.${signature}`;
}

export interface QueryHashJwtOptions {
  readonly accessKey: string;
  readonly secretKey: string;
  /** The text to hash; empty means no `query_hash` claim. */
  readonly queryString: string;
  /** Default a random UUID. */
  readonly nonce?: string;
  /** Default HS512. */
  readonly algorithm?: JwtAlgorithm;
}

/**
 * Upbit's token: `{access_key, nonce}` plus, when there is a query, `query_hash` (SHA-512 hex of
 * the query string) and `query_hash_alg: 'SHA512'`, signed with the secret key.
 */
export function queryHashJwt(options: QueryHashJwtOptions): string {
  if (!options.accessKey || !options.secretKey) {
    throw new ConfigError('JWT signing needs a non-empty accessKey and secretKey');
  }
  const payload: Record<string, string> = {
    access_key: options.accessKey,
    nonce: options.nonce ?? randomUUID(),
  };
  if (options.queryString.length > 0) {
    payload.query_hash = sha512Hex(options.queryString);
    payload.query_hash_alg = 'SHA512';
  }
  return createHsJwt(payload, options.secretKey, options.algorithm ?? 'HS512');
}

export interface JwtSignerOptions {
  readonly accessKey: string;
  readonly secretKey: string;
  readonly algorithm?: JwtAlgorithm;
  /**
   * The text whose hash the token carries; default the query as sent, percent-decoded (Upbit
   * hashes the unencoded `key=value&...` string).
   */
  readonly hashInput?: (request: { query: string; body: string | undefined }) => string;
}

/** Adds `Authorization: Bearer <queryHashJwt>` with a fresh nonce per attempt; the query is unchanged. */
export function jwtSigner(options: JwtSignerOptions): RequestSigner {
  const hashInput = options.hashInput ?? (({ query }) => decodeURIComponent(query.replace(/\+/g, ' ')));
  return (request) => ({
    query: request.query,
    headers: {
      Authorization: `Bearer ${queryHashJwt({
        accessKey: options.accessKey,
        secretKey: options.secretKey,
        queryString: hashInput(request),
        ...(options.algorithm === undefined ? {} : { algorithm: options.algorithm }),
      })}`,
    },
  });
}
