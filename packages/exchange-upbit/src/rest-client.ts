import {
  type BackoffOptions,
  type Clock,
  ConfigError,
  ExchangeApiError,
  type ExchangeRestClient,
  type ExchangeTransport,
  type FetchOrderBooksOptions,
  InvalidMessageError,
  type Logger,
  type MarketInfo,
  NetworkError,
  noopLogger,
  type OrderBookSnapshot,
  positiveNumber,
  RateBudget,
  type RestClientOptions,
  systemClock,
  type WireTap,
} from '@arbitrage/core';
import {
  parseJsonBody,
  RestPipeline,
  type RestPipelineStats,
  type RestResponse,
  tryJsonBody,
} from '@arbitrage/exchange-kit';
import { exchangeGroupLimit, parseRemainingReq } from './remaining-req.js';
import { restOrderBook } from './rest-books.js';
import { marketFromCode, UPBIT_EXCHANGE_ID, UpbitSymbolMapper } from './symbols.js';

const OWNER = 'UpbitRestClient';

export const UPBIT_REST_URL = 'https://api.upbit.com';

export interface UpbitRestClientOptions extends RestClientOptions {
  /** Base URL without `/v1` (default https://api.upbit.com). */
  readonly baseUrl?: string;
  /** Sees every answer's body as received (recording). */
  readonly wireTap?: WireTap;
  /** Answers requests instead of HTTP (replay). */
  readonly transport?: ExchangeTransport;
  /** Symbol mapper to use and refresh on loadMarkets (default: a new one with the built-in fallback). */
  readonly symbols?: UpbitSymbolMapper;
  /** Client-side budget per request group, requests per second (default 8; Upbit allows 10). */
  readonly requestsPerSecond?: number;
  /** Markets per GET /v1/orderbook (default 100). */
  readonly maxMarketsPerRequest?: number;
  /** Attempts per request for 5xx, timeouts and network errors, the first included (default 3). */
  readonly attempts?: number;
  /** Backoff between those attempts (default 200 ms doubling to 2 s, with jitter). */
  readonly retryBackoff?: BackoffOptions;
  /** Wait after a 429 without Retry-After, doubled for each 429 in a row up to 60 s (default 1000). */
  readonly rateLimitedWaitMs?: number;
  /** Wait after a 418 without Retry-After, doubled for each 418 in a row up to 1 h (default 60000). */
  readonly bannedWaitMs?: number;
}

export interface UpbitRestStats extends RestPipelineStats {
  /** Order books in a response that failed validation and were left out. */
  invalidBooks: number;
}

type Group = 'market' | 'orderbook';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Upbit's error body: {"error":{"name":"…" or 404,"message":"…"}}. */
function exchangeError(body: unknown): { name: string | number; message: string } | undefined {
  if (!isObject(body) || !isObject(body.error)) return undefined;
  const { name, message } = body.error;
  if (typeof name !== 'string' && typeof name !== 'number') return undefined;
  return { name, message: typeof message === 'string' ? message : '' };
}

/** A non-2xx answer other than 429/418: 5xx is Upbit's failure (retried), 4xx its error body. */
function failedResponse(response: RestResponse, operation: string): Error {
  const error = exchangeError(tryJsonBody(response.body));
  const text = response.body.toString('utf8');
  if (response.status >= 500) {
    const detail = error ? `${error.name} ${error.message}` : text.slice(0, 80);
    return new NetworkError(`${operation} answered HTTP ${response.status} (${detail}); Upbit-side failure`);
  }
  if (error) return new ExchangeApiError(UPBIT_EXCHANGE_ID, response.status, error.name, error.message);
  return new ExchangeApiError(
    UPBIT_EXCHANGE_ID,
    response.status,
    `HTTP_${response.status}`,
    text.slice(0, 200),
  );
}

/**
 * Upbit's quotation REST API (market list and order books, many markets per request) on the kit's
 * RestPipeline. Stays under Upbit's per-group limit with a client-side budget per group corrected
 * by Remaining-Req; after a 429/418 refuses every request until the wait is over (Retry-After, or
 * a default wait doubling per answer in a row). Never sends an Origin header (Upbit throttles such
 * requests to 1 per 10 s).
 */
export class UpbitRestClient implements ExchangeRestClient {
  readonly symbols: UpbitSymbolMapper;
  readonly maxMarketsPerRequest: number;
  readonly stats: UpbitRestStats = {
    requests: 0,
    retries: 0,
    rateLimited: 0,
    refusedWhileBlocked: 0,
    invalidBooks: 0,
  };
  private readonly pipeline: RestPipeline;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly requestsPerSecond: number;
  private readonly budgets = new Map<string, RateBudget>();

  constructor(options: UpbitRestClientOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? noopLogger).child({ component: 'upbit-rest' });
    this.symbols = options.symbols ?? new UpbitSymbolMapper();
    this.requestsPerSecond = positiveNumber(OWNER, 'requestsPerSecond', options.requestsPerSecond, 8);
    this.maxMarketsPerRequest = Math.floor(
      positiveNumber(OWNER, 'maxMarketsPerRequest', options.maxMarketsPerRequest, 100),
    );
    const rateLimitedWaitMs = positiveNumber(OWNER, 'rateLimitedWaitMs', options.rateLimitedWaitMs, 1_000);
    const bannedWaitMs = positiveNumber(OWNER, 'bannedWaitMs', options.bannedWaitMs, 60_000);
    this.pipeline = new RestPipeline({
      baseUrl: options.baseUrl ?? UPBIT_REST_URL,
      hooks: {
        exchange: UPBIT_EXCHANGE_ID,
        label: 'Upbit',
        observe: (response) => this.observeRemaining(response.headers['remaining-req']),
        failedResponse,
        describeBody: (body) => {
          const error = exchangeError(tryJsonBody(body));
          return error === undefined ? undefined : `${error.name} ${error.message}`.trim();
        },
      },
      timeoutMs: positiveNumber(OWNER, 'timeoutMs', options.timeoutMs, 5_000),
      attempts: Math.floor(positiveNumber(OWNER, 'attempts', options.attempts, 3)),
      backoff: options.retryBackoff ?? { baseMs: 200, capMs: 2_000 },
      rateLimitWaits: {
        429: { baseMs: rateLimitedWaitMs, capMs: 60_000 },
        418: { baseMs: bannedWaitMs, capMs: 3_600_000 },
      },
      clock: this.clock,
      logger: this.logger,
      stats: this.stats,
      ...(options.wireTap === undefined ? {} : { wireTap: options.wireTap }),
      ...(options.transport === undefined ? {} : { transport: options.transport }),
    });
  }

  /** When the current 429/418 block ends (ms since epoch), or 0. */
  get blockedUntilMs(): number {
    return this.pipeline.blockedUntil;
  }

  /** GET /v1/market/all: every listed market. Refreshes `symbols`. */
  async loadMarkets(): Promise<readonly MarketInfo[]> {
    const body = await this.get('market', '/v1/market/all', {}, undefined);
    if (!Array.isArray(body)) {
      throw new InvalidMessageError(
        UPBIT_EXCHANGE_ID,
        'not-an-array',
        'upbit /v1/market/all did not answer with an array',
      );
    }
    const markets: MarketInfo[] = [];
    for (const entry of body) {
      const code = isObject(entry) ? entry.market : undefined;
      const market = typeof code === 'string' ? marketFromCode(code) : undefined;
      if (market) markets.push(market);
      else
        this.logger.warn(
          { entry: JSON.stringify(entry)?.slice(0, 80) },
          'skipped a malformed market list entry',
        );
    }
    if (markets.length === 0) {
      throw new InvalidMessageError(
        UPBIT_EXCHANGE_ID,
        'empty',
        'upbit /v1/market/all listed no usable market',
      );
    }
    this.symbols.replace(markets);
    return markets;
  }

  /**
   * Order books for canonical symbols, `maxMarketsPerRequest` markets per request. Unknown symbols
   * throw UnknownSymbolError before anything is sent. A book that fails validation is left out
   * (counted in `stats.invalidBooks` and logged), so one bad market cannot hide the others.
   */
  async fetchOrderBooks(
    symbols: readonly string[],
    options: FetchOrderBooksOptions = {},
  ): Promise<OrderBookSnapshot[]> {
    const codes = symbols.map((symbol) => this.symbols.toNative(symbol));
    return this.fetchOrderBooksByCode(codes, options);
  }

  /** Like fetchOrderBooks, with Upbit codes ('KRW-BTC'). */
  async fetchOrderBooksByCode(
    codes: readonly string[],
    options: FetchOrderBooksOptions = {},
  ): Promise<OrderBookSnapshot[]> {
    const depth = options.depth;
    if (depth !== undefined && !(Number.isInteger(depth) && depth >= 1 && depth <= 30)) {
      throw new ConfigError(`upbit order book depth must be an integer from 1 to 30, got ${depth}`);
    }
    const batches: string[][] = [];
    for (let i = 0; i < codes.length; i += this.maxMarketsPerRequest) {
      batches.push(codes.slice(i, i + this.maxMarketsPerRequest));
    }
    const results = await Promise.all(
      batches.map((batch) =>
        this.get(
          'orderbook',
          '/v1/orderbook',
          { markets: batch.join(','), ...(depth === undefined ? {} : { count: depth }) },
          options.signal,
        ),
      ),
    );
    const receivedAt = this.clock.now();
    const books: OrderBookSnapshot[] = [];
    for (const body of results) {
      if (!Array.isArray(body)) {
        throw new InvalidMessageError(
          UPBIT_EXCHANGE_ID,
          'not-an-array',
          'upbit /v1/orderbook did not answer with an array',
        );
      }
      for (const entry of body) {
        const book = restOrderBook(entry, (code) => this.canonicalOf(code), receivedAt);
        if (book instanceof InvalidMessageError) {
          this.stats.invalidBooks++;
          this.logger.warn({ reason: book.reason }, book.message);
          continue;
        }
        if (depth !== undefined && (book.bids.length > depth || book.asks.length > depth)) {
          books.push({ ...book, bids: book.bids.slice(0, depth), asks: book.asks.slice(0, depth) });
        } else {
          books.push(book);
        }
      }
    }
    return books;
  }

  /** Closes the keep-alive sockets; later requests fail with NetworkError without being sent. */
  close(): void {
    this.pipeline.close();
  }

  private canonicalOf(code: string): string {
    if (this.symbols.has(code)) return this.symbols.toCanonical(code);
    return marketFromCode(code)?.symbol ?? code;
  }

  private budget(group: string): RateBudget {
    let budget = this.budgets.get(group);
    if (!budget) {
      const limit = Math.min(this.requestsPerSecond, exchangeGroupLimit(group));
      budget = new RateBudget({ limit, windowMs: 1_000, clock: this.clock });
      this.budgets.set(group, budget);
    }
    return budget;
  }

  private get(
    group: Group,
    path: string,
    params: Record<string, string | number>,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    return this.pipeline.request({
      path,
      params,
      charges: [{ budget: this.budget(group), weight: 1 }],
      ...(signal === undefined ? {} : { signal }),
      parse: (response) => {
        const body = parseJsonBody(response, UPBIT_EXCHANGE_ID, `GET ${path}`);
        // Upbit has answered 200 with an error body.
        const error = exchangeError(body);
        if (error) throw new ExchangeApiError(UPBIT_EXCHANGE_ID, response.status, error.name, error.message);
        return body;
      },
    });
  }

  /** Remaining-Req gives what is left this second; the group's budget learns what is used. */
  private observeRemaining(header: unknown): void {
    const remaining = parseRemainingReq(header);
    if (!remaining) return;
    this.budget(remaining.group).observeUsed(
      Math.max(0, exchangeGroupLimit(remaining.group) - remaining.sec),
    );
  }
}
