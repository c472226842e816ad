import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '@arbitrage/core';
import type { ResolvedBinance } from '../config.js';
import { type RestFaultRules, serveWithFaults } from '../faults/rest-faults.js';
import type { BinanceSymbolBook } from '../model/binance-book.js';
import type { Market } from '../model/market.js';
import { sendJson } from '../server/tracked-server.js';
import type { TimerGroup } from '../timers.js';
import { exchangeInfoBody } from './exchange-info.js';
import { bookTickerBody, depthBody } from './frames.js';
import { WeightLimiter } from './weight-limiter.js';

const ERRORS = {
  unknown: { code: -1000, msg: 'An unknown error occurred while processing the request.' },
  invalidSymbol: { code: -1121, msg: 'Invalid symbol.' },
  missingSymbol: {
    code: -1102,
    msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.",
  },
  badLimit: {
    code: -1100,
    msg: "Illegal characters found in parameter 'limit'; legal range is '^[0-9]{1,20}$'.",
  },
  badSymbols: {
    code: -1100,
    msg: 'Illegal characters found in parameter \'symbols\'; legal range is \'^\\[("[A-Z0-9-_.]{1,20}"(,"[A-Z0-9-_.]{1,20}"){0,}){0,1}\\]$\'.',
  },
  bothSymbols: { code: -1128, msg: 'Combination of optional parameters invalid.' },
  notFound: { code: -1000, msg: 'Unknown endpoint.' },
} as const;

type Answer = { readonly status: number; readonly body: string };
type Route = {
  readonly weight: (query: URLSearchParams) => number;
  readonly answer: (query: URLSearchParams) => Answer;
};

function error(status: number, value: { code: number; msg: string }): Answer {
  return { status, body: JSON.stringify(value) };
}

/** Depth weight by limit (since 2023-10-19): 1–100 → 5, 101–500 → 25, 501–1000 → 50, 1001–5000 → 250. */
export function depthWeight(limit: number): number {
  if (limit <= 100) return 5;
  if (limit <= 500) return 25;
  if (limit <= 1000) return 50;
  return 250;
}

/** The effective depth limit of a query: default 100, capped at 5000; undefined when malformed. */
export function depthLimit(raw: string | null): number | undefined {
  if (raw === null || raw === '') return 100;
  if (!/^[0-9]{1,20}$/.test(raw)) return undefined;
  return Math.max(1, Math.min(5000, Number(raw)));
}

/** Binance spot REST market data: exchangeInfo, depth, bookTicker, ping, time. */
export class BinanceRest {
  private readonly limiter: WeightLimiter;
  private readonly routes: Record<string, Route>;

  constructor(
    private readonly market: Market,
    private readonly config: ResolvedBinance,
    private readonly clock: Clock,
    private readonly faults: RestFaultRules,
    private readonly timers: TimerGroup,
  ) {
    this.limiter = new WeightLimiter(config);
    this.routes = {
      '/api/v3/ping': { weight: () => 1, answer: () => ({ status: 200, body: '{}' }) },
      '/api/v3/time': {
        weight: () => 1,
        answer: () => ({ status: 200, body: `{"serverTime":${this.clock.now()}}` }),
      },
      '/api/v3/exchangeInfo': { weight: () => 20, answer: (query) => this.exchangeInfo(query) },
      '/api/v3/depth': {
        weight: (query) => depthWeight(depthLimit(query.get('limit')) ?? 100),
        answer: (query) => this.depth(query),
      },
      '/api/v3/ticker/bookTicker': {
        weight: (query) => (query.has('symbol') ? 2 : 4),
        answer: (query) => this.bookTicker(query),
      },
    };
  }

  readonly handle = (request: IncomingMessage, response: ServerResponse): void =>
    serveWithFaults(
      request,
      response,
      this.faults,
      this.timers,
      (status) =>
        JSON.stringify(
          status === 429 || status === 418
            ? { code: -1003, msg: 'Too many requests; simulated fault.' }
            : ERRORS.unknown,
        ),
      (req, res, url) => this.serve(req, res, url),
    );

  private serve(request: IncomingMessage, response: ServerResponse, url: URL): void {
    const route = this.routes[url.pathname];
    const now = this.clock.now();
    const ip = request.socket.remoteAddress ?? 'unknown';
    const weight = route ? route.weight(url.searchParams) : 1;
    const verdict = this.limiter.charge(ip, weight, now);
    const weightHeaders = { 'X-MBX-USED-WEIGHT-1M': verdict.used, 'X-MBX-USED-WEIGHT': verdict.used };
    if (!verdict.allowed) {
      this.market.limitHits.record('binance.requestWeight');
      sendJson(response, verdict.status, JSON.stringify({ code: -1003, msg: verdict.msg }), {
        ...weightHeaders,
        'Retry-After': verdict.retryAfterS,
      });
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendJson(
        response,
        405,
        JSON.stringify({ code: -1000, msg: `Method ${request.method} is not served by the simulator.` }),
        weightHeaders,
      );
      return;
    }
    const answer = route ? route.answer(url.searchParams) : error(404, ERRORS.notFound);
    sendJson(response, answer.status, answer.body, weightHeaders);
  }

  /** `symbol` / `symbols` selection shared by exchangeInfo and bookTicker. */
  private select(query: URLSearchParams): BinanceSymbolBook[] | Answer {
    const symbol = query.get('symbol');
    const symbols = query.get('symbols');
    if (symbol !== null && symbols !== null) return error(400, ERRORS.bothSymbols);
    if (symbol !== null) {
      if (symbol === '') return error(400, ERRORS.missingSymbol);
      return this.market.hasBinance(symbol)
        ? [this.market.binance(symbol)]
        : error(400, ERRORS.invalidSymbol);
    }
    if (symbols !== null) {
      let names: unknown;
      try {
        names = JSON.parse(symbols);
      } catch {
        return error(400, ERRORS.badSymbols);
      }
      if (!Array.isArray(names) || names.length === 0 || !names.every((name) => typeof name === 'string')) {
        return error(400, ERRORS.badSymbols);
      }
      const books: BinanceSymbolBook[] = [];
      for (const name of names as string[]) {
        if (!this.market.hasBinance(name)) return error(400, ERRORS.invalidSymbol);
        books.push(this.market.binance(name));
      }
      return books;
    }
    return this.market.binanceSymbols.map((name) => this.market.binance(name));
  }

  private exchangeInfo(query: URLSearchParams): Answer {
    const books = this.select(query);
    if (!Array.isArray(books)) return books;
    return { status: 200, body: exchangeInfoBody(books, this.config, this.clock.now()) };
  }

  private depth(query: URLSearchParams): Answer {
    const symbol = query.get('symbol');
    if (symbol === null || symbol === '') return error(400, ERRORS.missingSymbol);
    if (!this.market.hasBinance(symbol)) return error(400, ERRORS.invalidSymbol);
    const limit = depthLimit(query.get('limit'));
    if (limit === undefined) return error(400, ERRORS.badLimit);
    return { status: 200, body: depthBody(this.market.binance(symbol), limit) };
  }

  private bookTicker(query: URLSearchParams): Answer {
    const books = this.select(query);
    if (!Array.isArray(books)) return books;
    if (query.has('symbol')) return { status: 200, body: bookTickerBody(books[0]!) };
    return { status: 200, body: `[${books.map(bookTickerBody).join(',')}]` };
  }
}
