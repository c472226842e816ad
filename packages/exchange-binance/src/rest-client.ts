import {
  type Clock,
  ExchangeApiError,
  type ExchangeRestClient,
  type ExchangeTransport,
  type FetchOrderBooksOptions,
  InvalidMessageError,
  type Logger,
  type MarketInfo,
  NetworkError,
  type OrderBookSnapshot,
  type PriceLevel,
  RateBudget,
  systemClock,
  type WireTap,
} from '@arbitrage/core';
import {
  idToNumber,
  parseJsonBody,
  type RestExchangeHooks,
  RestPipeline,
  type RestResponse,
  responseHeader,
  tryJsonBody,
  type UpdateId,
} from '@arbitrage/exchange-kit';
import { BinanceFrameParser } from './frame-parser.js';
import { BINANCE_EXCHANGE_ID, BinanceSymbolMapper, marketsFromExchangeInfo } from './symbols.js';

export const DEFAULT_REST_URL = 'https://api.binance.com';

/** GET /api/v3/exchangeInfo weight for all symbols. */
export const EXCHANGE_INFO_WEIGHT = 20;
/** Binance's REQUEST_WEIGHT limit per minute per IP (docs/protocols/binance.md B6). */
export const BINANCE_WEIGHT_LIMIT_PER_MINUTE = 6000;

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
  /** Sees every answer's body as received (recording). */
  readonly wireTap?: WireTap;
  /** Answers requests instead of HTTP (replay). */
  readonly transport?: ExchangeTransport;
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

/** Binance's error body `{"code":-1121,"msg":"Invalid symbol."}`. */
function apiError(body: Buffer): { code: number; msg: string } | undefined {
  const parsed = tryJsonBody(body);
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { code, msg } = parsed as { code?: unknown; msg?: unknown };
  return typeof code === 'number' && typeof msg === 'string' ? { code, msg } : undefined;
}

/** How Binance answers: weight usage in X-MBX-USED-WEIGHT-1M, errors as {code,msg}. */
function binanceHooks(budget: RateBudget): RestExchangeHooks {
  return {
    exchange: BINANCE_EXCHANGE_ID,
    label: 'Binance',
    observe: (response) => {
      const used = Number(responseHeader(response, 'x-mbx-used-weight-1m'));
      if (Number.isFinite(used) && used >= 0) budget.observeUsed(used);
    },
    failedResponse: (response, operation) => {
      const error = apiError(response.body);
      if (error) return new ExchangeApiError(BINANCE_EXCHANGE_ID, response.status, error.code, error.msg);
      if (response.status >= 500) {
        return new NetworkError(
          `${operation} answered ${response.status}; the outcome is unknown, retry later`,
        );
      }
      return new ExchangeApiError(
        BINANCE_EXCHANGE_ID,
        response.status,
        response.status,
        `unexpected HTTP ${response.status} for ${operation}`,
      );
    },
    describeBody: (body) => {
      const error = apiError(body);
      return error === undefined ? undefined : `${error.code} ${error.msg}`;
    },
  };
}

/**
 * Binance spot market-data REST (exchangeInfo and depth) on the kit's RestPipeline. A client-side
 * weight budget keeps requests under the limit instead of discovering it, corrected by
 * X-MBX-USED-WEIGHT-1M; a request that would wait more than `maxBudgetWaitMs` for it fails at
 * once. A 429/418 blocks every request until Retry-After has passed (60 s / 120 s without one).
 */
export class BinanceRestClient implements ExchangeRestClient {
  readonly budget: RateBudget;
  readonly symbols: BinanceSymbolMapper;
  private readonly pipeline: RestPipeline;
  private readonly parser = new BinanceFrameParser();

  constructor(options: BinanceRestClientOptions = {}) {
    const clock = options.clock ?? systemClock;
    this.symbols = options.symbols ?? new BinanceSymbolMapper();
    this.budget = new RateBudget({ limit: options.weightPerMinute ?? 5_000, windowMs: 60_000, clock });
    this.pipeline = new RestPipeline({
      baseUrl: options.baseUrl ?? DEFAULT_REST_URL,
      hooks: binanceHooks(this.budget),
      timeoutMs: options.timeoutMs ?? 5_000,
      attempts: options.attempts ?? 3,
      backoff: { baseMs: options.retryBaseMs ?? 200, capMs: options.retryCapMs ?? 2_000 },
      maxBudgetWaitMs: options.maxBudgetWaitMs ?? 1_000,
      // Binance's shortest ban is 2 minutes; it does not escalate waits itself.
      rateLimitWaits: { 429: { baseMs: 60_000, capMs: 60_000 }, 418: { baseMs: 120_000, capMs: 120_000 } },
      clock,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.wireTap === undefined ? {} : { wireTap: options.wireTap }),
      ...(options.transport === undefined ? {} : { transport: options.transport }),
    });
  }

  /** Requests sent to Binance (each attempt counts). */
  get requestsSent(): number {
    return this.pipeline.stats.requests;
  }

  /** When requests are blocked by a 429/418 (ms since epoch), or 0. */
  get blockedUntil(): number {
    return this.pipeline.blockedUntil;
  }

  /** GET /api/v3/exchangeInfo; refreshes the symbol mapper. */
  async loadMarkets(): Promise<readonly MarketInfo[]> {
    const parsed = await this.pipeline.request({
      path: '/api/v3/exchangeInfo',
      charges: [{ budget: this.budget, weight: EXCHANGE_INFO_WEIGHT }],
      parse: (response) => parseJsonBody(response, BINANCE_EXCHANGE_ID, 'exchangeInfo'),
    });
    const markets = marketsFromExchangeInfo(parsed);
    if (markets.length > 0) this.symbols.replace(markets);
    return markets;
  }

  /** GET /api/v3/depth for a native symbol ('BTCUSDT'); limit 1..5000 (weight per B6). */
  depth(nativeSymbol: string, limit: number, signal?: AbortSignal): Promise<DepthSnapshot> {
    const capped = Math.min(5000, Math.max(1, Math.floor(limit)));
    return this.pipeline.request({
      path: '/api/v3/depth',
      params: { symbol: nativeSymbol, limit: capped },
      charges: [{ budget: this.budget, weight: depthWeight(capped) }],
      ...(signal === undefined ? {} : { signal }),
      parse: (response) => this.depthSnapshot(nativeSymbol, response),
    });
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

  close(): void {
    this.pipeline.close();
  }

  /** The depth body through the stream's own byte parser (same validation as a WebSocket frame). */
  private depthSnapshot(nativeSymbol: string, response: RestResponse): DepthSnapshot {
    const parser = this.parser;
    if (parser.parse(response.body) !== 'depth' || parser.event.kind !== 'full') {
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
    return { lastUpdateId: event.finalId, bids, asks, receivedAt: response.receivedAt };
  }
}
