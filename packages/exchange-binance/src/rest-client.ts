import type http from 'node:http';
import {
  type Clock,
  ExchangeApiError,
  type ExchangeRestClient,
  type FetchOrderBooksOptions,
  InvalidMessageError,
  type Logger,
  type MarketInfo,
  NetworkError,
  noopLogger,
  type OrderBookSnapshot,
  type PriceLevel,
  RateBudget,
  RateLimitError,
  retry,
  systemClock,
  TimeoutError,
} from '@arbitrage/core';
import { idToNumber, type UpdateId } from '@arbitrage/exchange-kit';
import {
  HttpGetError,
  type HttpGetResponse,
  httpGet,
  keepAliveAgent,
  parseRetryAfter,
  requestUrl,
} from '@arbitrage/ws-client';
import { BinanceFrameParser } from './frame-parser.js';
import { BINANCE_EXCHANGE_ID, BinanceSymbolMapper, marketsFromExchangeInfo } from './symbols.js';

export const DEFAULT_REST_URL = 'https://api.binance.com';

/** GET /api/v3/exchangeInfo weight for all symbols. */
export const EXCHANGE_INFO_WEIGHT = 20;
/** Binance's REQUEST_WEIGHT limit per minute per IP (docs/protocols/binance.md B6). */
export const BINANCE_WEIGHT_LIMIT_PER_MINUTE = 6000;
/** exchangeInfo for every symbol is ~15 MB at most; anything larger is not Binance answering. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Weight statuses that carry no Retry-After get this much rest (the shortest ban is 2 minutes). */
const DEFAULT_RETRY_AFTER_MS = { 429: 60_000, 418: 120_000 } as const;

/** GET /api/v3/depth weight by limit, current table (since 2023-10-19). */
export function depthWeight(limit: number): number {
  if (limit <= 100) return 5;
  if (limit <= 500) return 25;
  if (limit <= 1000) return 50;
  return 250;
}

/** A REST depth snapshot: levels best first, the update id the book is at. */
export interface DepthSnapshot {
  readonly lastUpdateId: UpdateId;
  readonly bids: PriceLevel[];
  readonly asks: PriceLevel[];
  /** Local time the response arrived. */
  readonly receivedAt: number;
}

export interface BinanceRestClientOptions {
  /** Default https://api.binance.com; point it at the simulator in tests. */
  readonly baseUrl?: string;
  /** Deadline of each attempt, ms (default 5000). */
  readonly timeoutMs?: number;
  /** Client-side weight budget per minute, kept under Binance's 6000 (default 5000). */
  readonly weightPerMinute?: number;
  /** How long a request may wait for the weight budget before failing with RateLimitError (default 1000). */
  readonly maxBudgetWaitMs?: number;
  /** Attempts for 5xx, timeouts and network errors, including the first (default 3). */
  readonly attempts?: number;
  readonly retryBaseMs?: number;
  readonly retryCapMs?: number;
  readonly symbols?: BinanceSymbolMapper;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

class RetryableError extends Error {
  constructor(readonly error: unknown) {
    super('retryable');
  }
}

function exchangeErrorBody(body: Buffer): { code: number; msg: string } | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString());
    if (typeof parsed === 'object' && parsed !== null && 'code' in parsed && 'msg' in parsed) {
      const { code, msg } = parsed;
      if (typeof code === 'number' && typeof msg === 'string') return { code, msg };
    }
  } catch {
    // not JSON: reported by status below
  }
  return undefined;
}

/**
 * Binance spot market-data REST: exchangeInfo and depth, on node:http(s) with a keep-alive agent. A client-side weight budget keeps requests under the limit instead of discovering it,
 * corrected by X-MBX-USED-WEIGHT-1M. A 429/418 blocks every request until Retry-After has passed
 * (each call meanwhile fails at once with a RateLimitError, nothing is sent). 5xx, timeouts and
 * network errors are retried a bounded number of times with backoff; every attempt has a deadline.
 */
export class BinanceRestClient implements ExchangeRestClient {
  readonly budget: RateBudget;
  readonly symbols: BinanceSymbolMapper;
  private readonly baseUrl: string;
  private readonly agent: http.Agent;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly maxBudgetWaitMs: number;
  private readonly attempts: number;
  private readonly retryBaseMs: number;
  private readonly retryCapMs: number;
  private readonly parser = new BinanceFrameParser();
  private rateLimit: RateLimitError | undefined;
  private rateLimitUntil = 0;
  private closed = false;
  /** Requests sent to Binance (each attempt counts). */
  requestsSent = 0;

  constructor(options: BinanceRestClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? DEFAULT_REST_URL;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? noopLogger;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxBudgetWaitMs = options.maxBudgetWaitMs ?? 1_000;
    this.attempts = options.attempts ?? 3;
    this.retryBaseMs = options.retryBaseMs ?? 200;
    this.retryCapMs = options.retryCapMs ?? 2_000;
    this.symbols = options.symbols ?? new BinanceSymbolMapper();
    this.budget = new RateBudget({
      limit: options.weightPerMinute ?? 5_000,
      windowMs: 60_000,
      clock: this.clock,
    });
    this.agent = keepAliveAgent(this.baseUrl);
  }

  /** GET /api/v3/exchangeInfo; refreshes the symbol mapper. */
  async loadMarkets(): Promise<readonly MarketInfo[]> {
    const body = await this.get('/api/v3/exchangeInfo', {}, EXCHANGE_INFO_WEIGHT);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString());
    } catch (error) {
      throw new InvalidMessageError(
        BINANCE_EXCHANGE_ID,
        'exchangeInfo is not JSON',
        'Binance exchangeInfo is not JSON',
        {
          cause: error,
        },
      );
    }
    const markets = marketsFromExchangeInfo(parsed);
    if (markets.length > 0) this.symbols.replace(markets);
    return markets;
  }

  /** GET /api/v3/depth for a native symbol ('BTCUSDT'); limit 1..5000 (weight per B6). */
  async depth(nativeSymbol: string, limit: number, signal?: AbortSignal): Promise<DepthSnapshot> {
    const capped = Math.min(5000, Math.max(1, Math.floor(limit)));
    const body = await this.get(
      '/api/v3/depth',
      { symbol: nativeSymbol, limit: capped },
      depthWeight(capped),
      signal,
    );
    const receivedAt = this.clock.now();
    const parser = this.parser;
    if (parser.parse(body) !== 'depth' || parser.event.kind !== 'full') {
      const reason = parser.error?.reason ?? 'not a depth snapshot';
      throw new InvalidMessageError(
        BINANCE_EXCHANGE_ID,
        reason,
        `Binance depth snapshot for ${nativeSymbol} is unusable: ${reason}`,
      );
    }
    const event = parser.event;
    const bids: PriceLevel[] = new Array(event.bidCount);
    for (let i = 0; i < event.bidCount; i++) bids[i] = [event.bidPrices[i]!, event.bidSizes[i]!];
    const asks: PriceLevel[] = new Array(event.askCount);
    for (let i = 0; i < event.askCount; i++) asks[i] = [event.askPrices[i]!, event.askSizes[i]!];
    return { lastUpdateId: event.finalId, bids, asks, receivedAt };
  }

  async fetchOrderBooks(
    symbols: readonly string[],
    options: FetchOrderBooksOptions = {},
  ): Promise<OrderBookSnapshot[]> {
    const snapshots: OrderBookSnapshot[] = [];
    for (const symbol of symbols) {
      const nativeSymbol = this.symbols.toNative(symbol);
      const depth = await this.depth(nativeSymbol, options.depth ?? 100, options.signal);
      snapshots.push({
        exchange: BINANCE_EXCHANGE_ID,
        symbol,
        nativeSymbol,
        bids: depth.bids,
        asks: depth.asks,
        sequence: idToNumber(depth.lastUpdateId),
        // The depth endpoint carries no exchange time: the arrival time stands in for it.
        exchangeTime: depth.receivedAt,
        receivedAt: depth.receivedAt,
        source: 'rest',
      });
    }
    return snapshots;
  }

  /** When requests are blocked by a 429/418 (ms since epoch), or 0. */
  get blockedUntil(): number {
    return this.clock.now() < this.rateLimitUntil ? this.rateLimitUntil : 0;
  }

  close(): void {
    this.closed = true;
    this.agent.destroy();
  }

  private async get(
    path: string,
    params: Record<string, string | number>,
    weight: number,
    signal?: AbortSignal,
  ): Promise<Buffer> {
    try {
      return await retry((attempt) => this.attempt(path, params, weight, attempt, signal), {
        attempts: this.attempts,
        backoff: { baseMs: this.retryBaseMs, capMs: this.retryCapMs },
        isRetryable: (error) => error instanceof RetryableError,
        clock: this.clock,
        ...(signal ? { signal } : {}),
        onRetry: (error, attempt, delayMs) =>
          this.logger.warn(
            { path, attempt, delayMs, error: String(error instanceof RetryableError ? error.error : error) },
            'Binance REST request failed; retrying',
          ),
      });
    } catch (error) {
      throw error instanceof RetryableError ? error.error : error;
    }
  }

  private async attempt(
    path: string,
    params: Record<string, string | number>,
    weight: number,
    attempt: number,
    signal?: AbortSignal,
  ): Promise<Buffer> {
    if (this.closed) throw new NetworkError('the Binance REST client is closed; create a new one');
    await this.admit(path, weight, signal);
    const controller = new AbortController();
    const timeout = new TimeoutError(`Binance GET ${path}`, this.timeoutMs);
    const timer = this.clock.setTimeout(() => controller.abort(timeout), this.timeoutMs);
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let response: HttpGetResponse;
    try {
      this.requestsSent++;
      response = await httpGet(requestUrl(this.baseUrl, path, params), {
        agent: this.agent,
        signal: controller.signal,
        headers: { Accept: 'application/json' },
        maxBytes: MAX_BODY_BYTES,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (controller.signal.aborted) throw new RetryableError(timeout);
      const detail = error instanceof HttpGetError ? error.code : String(error);
      throw new RetryableError(
        new NetworkError(`Binance GET ${path} failed (${detail}, attempt ${attempt}); check connectivity`, {
          cause: error,
        }),
      );
    } finally {
      this.clock.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
    return this.handle(path, response);
  }

  /** Fails fast while rate limited; waits (bounded) or fails when the weight budget is spent. */
  private async admit(path: string, weight: number, signal?: AbortSignal): Promise<void> {
    const now = this.clock.now();
    if (this.rateLimit && now < this.rateLimitUntil) {
      const remaining = this.rateLimitUntil - now;
      throw new RateLimitError(
        BINANCE_EXCHANGE_ID,
        this.rateLimit.status,
        remaining,
        `Binance GET ${path} not sent: Binance answered ${this.rateLimit.status} and asked for no requests for another ${remaining} ms`,
        { cause: this.rateLimit },
      );
    }
    const delay = this.budget.delayFor(weight);
    if (delay > this.maxBudgetWaitMs) {
      throw new RateLimitError(
        BINANCE_EXCHANGE_ID,
        0,
        delay,
        `Binance GET ${path} not sent: the client-side weight budget (${this.budget.usedWeight} used) frees ${weight} in ${delay} ms`,
      );
    }
    if (delay > 0) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          this.clock.clearTimeout(timer);
          reject(signal?.reason);
        };
        const timer = this.clock.setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, delay);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    this.budget.tryTake(weight);
  }

  private handle(path: string, response: HttpGetResponse): Buffer {
    const used = Number(response.headers['x-mbx-used-weight-1m']);
    if (Number.isFinite(used) && used >= 0) this.budget.observeUsed(used);
    const status = response.status;
    const body = response.body;
    if (status === 429 || status === 418) {
      const now = this.clock.now();
      const header: unknown = response.headers['retry-after'];
      const retryAfterMs =
        (typeof header === 'string' ? parseRetryAfter(header, now) : undefined) ??
        DEFAULT_RETRY_AFTER_MS[status];
      const until = now + retryAfterMs;
      this.rateLimitUntil = Math.max(this.rateLimitUntil, until);
      this.budget.blockUntil(until);
      const apiError = exchangeErrorBody(body);
      this.rateLimit = new RateLimitError(
        BINANCE_EXCHANGE_ID,
        status,
        retryAfterMs,
        `Binance answered ${status}${status === 418 ? ' (IP banned)' : ' (rate limit)'} to GET ${path}` +
          `${apiError ? ` (${apiError.code} ${apiError.msg})` : ''}; no request will be sent for ${retryAfterMs} ms`,
      );
      this.logger.error({ path, status, retryAfterMs }, 'Binance rate limit hit; requests paused');
      throw this.rateLimit;
    }
    if (status >= 200 && status < 300) return body;
    const apiError = exchangeErrorBody(body);
    if (status >= 500) {
      throw new RetryableError(
        apiError
          ? new ExchangeApiError(BINANCE_EXCHANGE_ID, status, apiError.code, apiError.msg)
          : new NetworkError(`Binance GET ${path} answered ${status}; the outcome is unknown, retry later`),
      );
    }
    if (apiError) throw new ExchangeApiError(BINANCE_EXCHANGE_ID, status, apiError.code, apiError.msg);
    throw new ExchangeApiError(
      BINANCE_EXCHANGE_ID,
      status,
      status,
      `unexpected HTTP ${status} for GET ${path}`,
    );
  }
}
