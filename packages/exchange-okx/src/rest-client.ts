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
  BookEvent,
  idToNumber,
  parseJsonBody,
  type RestExchangeHooks,
  RestPipeline,
  type RestResponse,
  tryJsonBody,
  type UpdateId,
} from '@arbitrage/exchange-kit';
import { levelsOf, readSide } from './book-levels.js';
import { marketsFromInstruments, OKX_EXCHANGE_ID, OkxSymbolMapper } from './symbols.js';

export const DEFAULT_REST_URL = 'https://www.okx.com';
/** Levels per side of a REST book when nobody says (OKX's `sz` maximum, E1; its default is 1). */
export const DEFAULT_BOOK_SIZE = 400;
/** The client's book-request budget per 2 s (E2: the lower of the figures quoted for books). */
export const DEFAULT_REQUESTS_PER_2S = 20;
/** OKX counts requests per 2 s (E2); 100 ms more absorbs jitter between our sends and its arrivals. */
const BUDGET_WINDOW_MS = 2_100;

/** A REST book: levels best first, the seqId it is at (docs/protocols/okx.md E1). */
export interface OkxBookSnapshot {
  readonly lastUpdateId: UpdateId;
  readonly bids: PriceLevel[];
  readonly asks: PriceLevel[];
  readonly exchangeTime: number;
  readonly receivedAt: number;
}

export interface OkxRestClientOptions {
  /** Default https://www.okx.com; point it at a local server in tests. */
  readonly baseUrl?: string;
  readonly wireTap?: WireTap;
  readonly transport?: ExchangeTransport;
  /** Deadline of each attempt, ms (default 5000). */
  readonly timeoutMs?: number;
  /**
   * Client-side budget of book requests per 2 s (default 20, the lower of the figures quoted for
   * /api/v5/market/books, docs/protocols/okx.md E2), counted over a sliding window of 2.1 s so that
   * network jitter cannot put one more into OKX's 2 s. OKX limits each endpoint on its own, so the
   * instruments call has a budget of its own (10 per 2 s) and never takes a book's place.
   */
  readonly requestsPer2s?: number;
  /** How long a request may wait for the budget before failing with RateLimitError (default 1000). */
  readonly maxBudgetWaitMs?: number;
  /** Attempts for 5xx, timeouts and network errors, including the first (default 3). */
  readonly attempts?: number;
  readonly symbols?: OkxSymbolMapper;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** OKX's envelope `{"code":"51001","msg":"…","data":[…]}` (E1, E2); code "0" is success. */
function envelope(body: unknown): { code: string; msg: string; data: unknown } | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { code, msg, data } = body as { code?: unknown; msg?: unknown; data?: unknown };
  if (typeof code !== 'string' && typeof code !== 'number') return undefined;
  return { code: String(code), msg: typeof msg === 'string' ? msg : '', data };
}

const okxHooks: RestExchangeHooks = {
  exchange: OKX_EXCHANGE_ID,
  label: 'OKX',
  failedResponse: (response, operation) => {
    const error = envelope(tryJsonBody(response.body));
    if (error) return new ExchangeApiError(OKX_EXCHANGE_ID, response.status, error.code, error.msg);
    if (response.status >= 500)
      return new NetworkError(
        `${operation} answered ${response.status}; the outcome is unknown, retry later`,
      );
    return new ExchangeApiError(
      OKX_EXCHANGE_ID,
      response.status,
      response.status,
      `unexpected HTTP ${response.status} for ${operation}`,
    );
  },
  describeBody: (body) => {
    const error = envelope(tryJsonBody(body));
    return error === undefined ? undefined : `${error.code} ${error.msg}`;
  },
};

/** The `data` of a successful envelope; an OKX error code (even with HTTP 200) is thrown classified. */
function okData(response: RestResponse, what: string): unknown {
  const body = envelope(parseJsonBody(response, OKX_EXCHANGE_ID, what));
  if (body === undefined)
    throw new InvalidMessageError(OKX_EXCHANGE_ID, 'no code', `OKX ${what} answered without a "code"`);
  if (body.code !== '0') throw new ExchangeApiError(OKX_EXCHANGE_ID, response.status, body.code, body.msg);
  return body.data;
}

function unusable(what: string, reason: string): InvalidMessageError {
  return new InvalidMessageError(OKX_EXCHANGE_ID, reason, `OKX ${what} is unusable: ${reason}`);
}

/**
 * OKX spot market-data REST (instruments, books) on the kit's RestPipeline. A client-side budget
 * keeps requests under the limit; a 429 (code 50011, E2) blocks every request until its wait is over.
 */
export class OkxRestClient implements ExchangeRestClient {
  /** The book requests' budget (snapshots are scheduled against it). */
  readonly budget: RateBudget;
  readonly symbols: OkxSymbolMapper;
  private readonly instrumentsBudget: RateBudget;
  private readonly pipeline: RestPipeline;
  private readonly event = new BookEvent(DEFAULT_BOOK_SIZE);

  constructor(options: OkxRestClientOptions = {}) {
    const clock = options.clock ?? systemClock;
    this.symbols = options.symbols ?? new OkxSymbolMapper();
    this.budget = new RateBudget({
      limit: options.requestsPer2s ?? DEFAULT_REQUESTS_PER_2S,
      windowMs: BUDGET_WINDOW_MS,
      clock,
    });
    this.instrumentsBudget = new RateBudget({ limit: 10, windowMs: BUDGET_WINDOW_MS, clock });
    this.pipeline = new RestPipeline({
      baseUrl: options.baseUrl ?? DEFAULT_REST_URL,
      hooks: okxHooks,
      timeoutMs: options.timeoutMs ?? 5_000,
      attempts: options.attempts ?? 3,
      backoff: { baseMs: 200, capMs: 2_000 },
      maxBudgetWaitMs: options.maxBudgetWaitMs ?? 1_000,
      // OKX limits per 2 s window: a short wait, growing if the 429s go on.
      rateLimitWaits: { 429: { baseMs: 2_000, capMs: 60_000 }, 418: { baseMs: 60_000, capMs: 3_600_000 } },
      clock,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.wireTap === undefined ? {} : { wireTap: options.wireTap }),
      ...(options.transport === undefined ? {} : { transport: options.transport }),
    });
  }

  /** When requests are blocked by a 429 (ms since epoch), or 0. */
  get blockedUntil(): number {
    return this.pipeline.blockedUntil;
  }

  /** GET /api/v5/public/instruments?instType=SPOT (E1); refreshes the symbol mapper. */
  async loadMarkets(): Promise<readonly MarketInfo[]> {
    const data = await this.pipeline.request({
      path: '/api/v5/public/instruments',
      params: { instType: 'SPOT' },
      charges: [{ budget: this.instrumentsBudget, weight: 1 }],
      parse: (response) => okData(response, 'instruments'),
    });
    const markets = marketsFromInstruments({ data });
    if (markets.length > 0) this.symbols.replace(markets);
    return markets;
  }

  /** GET /api/v5/market/books?instId=…&sz=… (E1), `sz` 1..400, with the book's `seqId`. */
  book(instId: string, size = DEFAULT_BOOK_SIZE, signal?: AbortSignal): Promise<OkxBookSnapshot> {
    const sz = Math.min(DEFAULT_BOOK_SIZE, Math.max(1, Math.floor(size)));
    return this.pipeline.request({
      path: '/api/v5/market/books',
      params: { instId, sz },
      charges: [{ budget: this.budget, weight: 1 }],
      ...(signal === undefined ? {} : { signal }),
      parse: (response) => this.snapshot(instId, response),
    });
  }

  async fetchOrderBooks(
    symbols: readonly string[],
    options: FetchOrderBooksOptions = {},
  ): Promise<OrderBookSnapshot[]> {
    const snapshots: OrderBookSnapshot[] = [];
    for (const symbol of symbols) {
      const nativeSymbol = this.symbols.toNative(symbol);
      const book = await this.book(nativeSymbol, options.depth ?? 100, options.signal);
      snapshots.push({
        exchange: OKX_EXCHANGE_ID,
        symbol,
        nativeSymbol,
        bids: book.bids,
        asks: book.asks,
        sequence: idToNumber(book.lastUpdateId),
        exchangeTime: book.exchangeTime,
        receivedAt: book.receivedAt,
        source: 'rest',
      });
    }
    return snapshots;
  }

  close(): void {
    this.pipeline.close();
  }

  private snapshot(instId: string, response: RestResponse): OkxBookSnapshot {
    const what = `book for ${instId}`;
    const data = okData(response, what);
    const item: unknown = Array.isArray(data) ? data[0] : undefined;
    if (typeof item !== 'object' || item === null) throw unusable(what, '"data" holds no book');
    const { seqId, ts, bids, asks } = item as Record<string, unknown>;
    if (typeof seqId !== 'number' || !Number.isSafeInteger(seqId) || seqId < 0)
      throw unusable(what, `seqId ${String(seqId)} is not a sequence id`);
    const exchangeTime = typeof ts === 'string' && /^\d{1,16}$/.test(ts) ? Number(ts) : 0;
    const event = this.event;
    event.reset();
    const problem = readSide(bids, 'bids', event, true) ?? readSide(asks, 'asks', event, true);
    if (problem !== undefined) throw unusable(what, problem);
    return {
      lastUpdateId: seqId,
      bids: levelsOf(event.bidPrices, event.bidSizes, event.bidCount),
      asks: levelsOf(event.askPrices, event.askSizes, event.askCount),
      exchangeTime: exchangeTime > 0 ? exchangeTime : response.receivedAt,
      receivedAt: response.receivedAt,
    };
  }
}
