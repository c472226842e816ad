import type { Agent, IncomingHttpHeaders } from 'node:http';
import {
  type BackoffOptions,
  type Clock,
  ConfigError,
  ExchangeApiError,
  type ExchangeRestClient,
  type FetchOrderBooksOptions,
  InvalidMessageError,
  type Logger,
  type MarketInfo,
  NetworkError,
  noopLogger,
  type OrderBookSnapshot,
  RateBudget,
  RateLimitError,
  type RestClientOptions,
  retry,
  systemClock,
  TimeoutError,
} from '@arbitrage/core';
import { HttpGetError, httpGet, keepAliveAgent, parseRetryAfter, requestUrl } from '@arbitrage/ws-client';
import { exchangeGroupLimit, parseRemainingReq } from './remaining-req.js';
import { restOrderBook } from './rest-books.js';
import { marketFromCode, UPBIT_EXCHANGE_ID, UpbitSymbolMapper } from './symbols.js';

export const UPBIT_REST_URL = 'https://api.upbit.com';

export interface UpbitRestClientOptions extends RestClientOptions {
  /** Base URL without `/v1` (default https://api.upbit.com). */
  readonly baseUrl?: string;
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

export interface UpbitRestStats {
  /** HTTP requests sent (each attempt counts). */
  requests: number;
  /** Attempts repeated after a 5xx, timeout or network error. */
  retries: number;
  /** 429 and 418 answers. */
  rateLimited: number;
  /** Requests refused locally because a 429/418 block was still running. */
  refusedWhileBlocked: number;
  /** Order books in a response that failed validation and were left out. */
  invalidBooks: number;
}

type Group = 'market' | 'orderbook';

const MAX_429_WAIT_MS = 60_000;
const MAX_418_WAIT_MS = 3_600_000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRetryable(error: unknown): boolean {
  return error instanceof TimeoutError || error instanceof NetworkError;
}

/** Upbit's error body: {"error":{"name":"…" or 404,"message":"…"}}. */
function exchangeError(body: unknown): { name: string | number; message: string } | undefined {
  if (!isObject(body) || !isObject(body.error)) return undefined;
  const { name, message } = body.error;
  if (typeof name !== 'string' && typeof name !== 'number') return undefined;
  return { name, message: typeof message === 'string' ? message : '' };
}

function parseJson(text: unknown, what: string): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InvalidMessageError(
      UPBIT_EXCHANGE_ID,
      'malformed-json',
      `upbit ${what} answered with a body that is not JSON: ${text.slice(0, 80)}`,
      { cause },
    );
  }
}

/** A market list or a 100-market order book answer is well under this; larger is not Upbit answering. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

interface TextResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly data: string;
}

/**
 * Upbit's quotation REST API on node:http(s) with keep-alive agents: market list and order books (many markets per
 * request). Stays under Upbit's per-group limit with a client-side budget corrected by Remaining-Req;
 * after a 429/418 refuses every request until the wait is over; retries 5xx, timeouts and network
 * errors a bounded number of times; every attempt has a deadline. Never sends an Origin header
 * (Upbit throttles such requests to 1 per 10 s).
 */
export class UpbitRestClient implements ExchangeRestClient {
  readonly symbols: UpbitSymbolMapper;
  readonly stats: UpbitRestStats = {
    requests: 0,
    retries: 0,
    rateLimited: 0,
    refusedWhileBlocked: 0,
    invalidBooks: 0,
  };
  readonly maxMarketsPerRequest: number;

  private readonly baseUrl: string;
  private readonly agent: Agent;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly retryBackoff: BackoffOptions;
  private readonly requestsPerSecond: number;
  private readonly rateLimitedWaitMs: number;
  private readonly bannedWaitMs: number;
  private readonly budgets = new Map<string, RateBudget>();
  private blockedUntil = 0;
  private blockStatus = 429;
  private consecutive429 = 0;
  private consecutive418 = 0;
  private closed = false;

  constructor(options: UpbitRestClientOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? noopLogger).child({ component: 'upbit-rest' });
    this.symbols = options.symbols ?? new UpbitSymbolMapper();
    this.timeoutMs = positive('timeoutMs', options.timeoutMs, 5_000);
    this.attempts = Math.floor(positive('attempts', options.attempts, 3));
    this.retryBackoff = options.retryBackoff ?? { baseMs: 200, capMs: 2_000 };
    this.requestsPerSecond = positive('requestsPerSecond', options.requestsPerSecond, 8);
    this.maxMarketsPerRequest = Math.floor(
      positive('maxMarketsPerRequest', options.maxMarketsPerRequest, 100),
    );
    this.rateLimitedWaitMs = positive('rateLimitedWaitMs', options.rateLimitedWaitMs, 1_000);
    this.bannedWaitMs = positive('bannedWaitMs', options.bannedWaitMs, 60_000);
    this.baseUrl = (options.baseUrl ?? UPBIT_REST_URL).replace(/\/+$/, '');
    this.agent = keepAliveAgent(this.baseUrl);
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

  /** When the current 429/418 block ends (ms since epoch), or 0. */
  get blockedUntilMs(): number {
    return this.clock.now() < this.blockedUntil ? this.blockedUntil : 0;
  }

  /** Closes the keep-alive sockets. Later requests open new ones. */
  close(): void {
    this.closed = true;
    this.agent.destroy();
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

  private async get(
    group: Group,
    path: string,
    params: Record<string, string | number>,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    return retry((attempt) => this.attempt(group, path, params, signal, attempt), {
      attempts: this.attempts,
      backoff: this.retryBackoff,
      isRetryable,
      clock: this.clock,
      ...(signal === undefined ? {} : { signal }),
      onRetry: (error, attempt, delayMs) => {
        this.stats.retries++;
        this.logger.warn(
          { path, attempt, delayMs, err: error },
          `upbit GET ${path} failed (${error instanceof Error ? error.message : String(error)}); retrying`,
        );
      },
    });
  }

  private async attempt(
    group: Group,
    path: string,
    params: Record<string, string | number>,
    signal: AbortSignal | undefined,
    attempt: number,
  ): Promise<unknown> {
    this.refuseWhileBlocked(path);
    await this.budget(group).take(1, signal);
    this.refuseWhileBlocked(path);
    const controller = new AbortController();
    const operation = `upbit GET ${path}`;
    const deadline = this.clock.setTimeout(
      () => controller.abort(new TimeoutError(operation, this.timeoutMs)),
      this.timeoutMs,
    );
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    this.stats.requests++;
    let response: TextResponse;
    try {
      const answer = await httpGet(requestUrl(this.baseUrl, path, params), {
        agent: this.agent,
        signal: controller.signal,
        headers: { Accept: 'application/json' },
        maxBytes: MAX_BODY_BYTES,
      });
      response = { status: answer.status, headers: answer.headers, data: answer.body.toString('utf8') };
    } catch (error) {
      throw this.transportError(error, controller.signal, signal, operation, attempt);
    } finally {
      this.clock.clearTimeout(deadline);
      signal?.removeEventListener('abort', onAbort);
    }
    this.observeRemaining(group, response.headers['remaining-req']);
    return this.interpret(response, path);
  }

  private refuseWhileBlocked(path: string): void {
    const now = this.clock.now();
    if (now >= this.blockedUntil) return;
    this.stats.refusedWhileBlocked++;
    const waitMs = this.blockedUntil - now;
    throw new RateLimitError(
      UPBIT_EXCHANGE_ID,
      this.blockStatus,
      waitMs,
      `upbit GET ${path} not sent: Upbit answered ${this.blockStatus} and no request may go out for another ${waitMs} ms`,
    );
  }

  private observeRemaining(group: Group, header: unknown): void {
    const remaining = parseRemainingReq(header);
    if (!remaining) return;
    const limit = exchangeGroupLimit(remaining.group);
    // Used = what the exchange allows minus what it says is left; our budget only ever goes up.
    const budget = remaining.group === group ? this.budget(group) : this.budget(remaining.group);
    budget.observeUsed(Math.max(0, limit - remaining.sec));
  }

  private interpret(response: TextResponse, path: string): unknown {
    const status = response.status;
    if (status === 429 || status === 418) {
      throw this.rateLimited(status, response.headers['retry-after'], path);
    }
    let body: unknown;
    try {
      body = parseJson(response.data, `GET ${path}`);
    } catch (error) {
      if (status >= 200 && status < 300) throw error;
      body = undefined;
    }
    if (status >= 200 && status < 300) {
      this.consecutive429 = 0;
      this.consecutive418 = 0;
      const error = exchangeError(body);
      if (error) throw new ExchangeApiError(UPBIT_EXCHANGE_ID, status, error.name, error.message);
      return body;
    }
    const error = exchangeError(body);
    if (status >= 500) {
      const detail = error ? `${error.name} ${error.message}` : String(response.data ?? '').slice(0, 80);
      throw new NetworkError(`upbit GET ${path} answered HTTP ${status} (${detail}); Upbit-side failure`);
    }
    if (error) throw new ExchangeApiError(UPBIT_EXCHANGE_ID, status, error.name, error.message);
    throw new ExchangeApiError(
      UPBIT_EXCHANGE_ID,
      status,
      `HTTP_${status}`,
      String(response.data ?? '').slice(0, 200),
    );
  }

  private rateLimited(status: 429 | 418, retryAfterHeader: unknown, path: string): RateLimitError {
    this.stats.rateLimited++;
    const now = this.clock.now();
    const header =
      typeof retryAfterHeader === 'string' || Array.isArray(retryAfterHeader)
        ? parseRetryAfter(retryAfterHeader as string | readonly string[], now)
        : undefined;
    let waitMs: number;
    if (status === 418) {
      this.consecutive418++;
      waitMs = header ?? Math.min(MAX_418_WAIT_MS, this.bannedWaitMs * 2 ** (this.consecutive418 - 1));
    } else {
      this.consecutive429++;
      waitMs = header ?? Math.min(MAX_429_WAIT_MS, this.rateLimitedWaitMs * 2 ** (this.consecutive429 - 1));
    }
    if (now + waitMs > this.blockedUntil) {
      this.blockedUntil = now + waitMs;
      this.blockStatus = status;
    }
    for (const budget of this.budgets.values()) budget.blockUntil(this.blockedUntil);
    const what = status === 418 ? 'blocked this IP (418)' : 'rate-limited this client (429)';
    const source = header === undefined ? 'no Retry-After; default wait' : 'Retry-After';
    const error = new RateLimitError(
      UPBIT_EXCHANGE_ID,
      status,
      waitMs,
      `upbit GET ${path}: Upbit ${what}; no Upbit REST request for ${waitMs} ms (${source}). Lower the request rate`,
    );
    this.logger.error({ status, waitMs, path }, error.message);
    return error;
  }

  private transportError(
    error: unknown,
    own: AbortSignal,
    caller: AbortSignal | undefined,
    operation: string,
    attempt: number,
  ): unknown {
    if (caller?.aborted) return caller.reason;
    if (own.aborted && own.reason instanceof TimeoutError) return own.reason;
    if (error instanceof HttpGetError) {
      if (error.code === 'ETIMEDOUT') {
        return new TimeoutError(operation, this.timeoutMs, { cause: error });
      }
      const closedNote = this.closed ? ' (the client was closed)' : '';
      return new NetworkError(
        `${operation} failed on attempt ${attempt}: ${error.code ?? ''} ${error.message}${closedNote}`.replace(
          '  ',
          ' ',
        ),
        { cause: error },
      );
    }
    return error;
  }
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value > 0 && value < Number.POSITIVE_INFINITY)) {
    throw new ConfigError(`UpbitRestClient ${name} must be a positive finite number, got ${value}`);
  }
  return value;
}
