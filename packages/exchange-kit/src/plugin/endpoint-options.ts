import { ConfigError } from '@arbitrage/core';

/** Who takes the URL and what it adds, for the messages: `{ owner: 'createBinanceExchange', apiPath: '/api/v3' }`. */
export interface EndpointOwner {
  /** The factory or class named in the error, e.g. 'createBinanceExchange'. */
  readonly owner: string;
  /** What the client appends to `restUrl`, e.g. '/api/v3' (it requests `/api/v3/depth`, …). */
  readonly apiPath: string;
}

/**
 * `restUrl` as a plugin's REST client takes it: an http(s) origin, to which the client appends the
 * API's paths itself. A path is refused rather than used: the usual one is the API's own prefix
 * (`http://host:port/api/v3`), which would double it and turn every request into a 404 that, with
 * no logger, only the health reasons would show. Returns the origin without a trailing slash.
 */
export function restOrigin(url: string, owner: EndpointOwner): string {
  const parsed = parseUrl(url);
  const isHttp = parsed?.protocol === 'http:' || parsed?.protocol === 'https:';
  if (parsed && isHttp && parsed.pathname === '/' && parsed.search === '' && parsed.hash === '') {
    return parsed.origin;
  }
  const hint =
    parsed && isHttp && parsed.pathname.startsWith(owner.apiPath)
      ? `: the client adds ${owner.apiPath}/… itself`
      : '';
  throw new ConfigError(
    `${owner.owner}: restUrl must be an origin like http://127.0.0.1:8080 or https://api.example.com (no path)${hint}, got ${url}`,
  );
}

/**
 * `wsUrl`: a ws:// or wss:// URL. An origin alone gets the exchange's usual path (`withDefaultPath`);
 * a path is used as given, since several are legitimate (Binance `/ws` or `/stream`, OKX's
 * public and business endpoints).
 */
export function checkWsUrl(url: string, owner: string, example: string): string {
  const parsed = parseUrl(url);
  if (parsed && (parsed.protocol === 'ws:' || parsed.protocol === 'wss:') && parsed.hash === '') return url;
  throw new ConfigError(`${owner}: wsUrl must be a ws:// or wss:// URL like ${example}, got ${url}`);
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
