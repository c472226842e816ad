import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '@arbitrage/core';
import { upbitKrwTickSize } from '@arbitrage/core';
import type { ResolvedUpbit } from '../config.js';
import { type RestFaultRules, serveWithFaults } from '../faults/rest-faults.js';
import type { Market } from '../model/market.js';
import type { UpbitMarketBook } from '../model/upbit-book.js';
import { UPBIT_UNITS } from '../model/upbit-book.js';
import { SlidingWindow } from '../server/sliding-window.js';
import { sendJson } from '../server/tracked-server.js';
import type { TimerGroup } from '../timers.js';
import { orderbookRestItem, tickerRestItem } from './frames.js';

type Answer = { readonly status: number; readonly body: string };

function upbitError(status: number, name: string | number, message: string): Answer {
  return { status, body: JSON.stringify({ error: { name, message } }) };
}

const INVALID = upbitError(400, 400, 'Invalid parameter. Check the given value!');
const NOT_FOUND = upbitError(404, 404, 'Code not found');

interface Route {
  readonly group: string;
  readonly answer: (query: URLSearchParams) => Answer;
}

/** Upbit quotation REST: market/all, orderbook, orderbook/instruments, ticker, ticker/all. */
export class UpbitRest {
  private readonly windows = new Map<string, SlidingWindow>();
  private readonly routes: Record<string, Route>;

  constructor(
    private readonly market: Market,
    private readonly config: ResolvedUpbit,
    private readonly clock: Clock,
    private readonly faults: RestFaultRules,
    private readonly timers: TimerGroup,
  ) {
    this.routes = {
      '/v1/market/all': { group: 'market', answer: (query) => this.marketAll(query) },
      '/v1/orderbook': { group: 'orderbook', answer: (query) => this.orderbook(query) },
      '/v1/orderbook/instruments': { group: 'orderbook', answer: (query) => this.instruments(query) },
      '/v1/ticker': { group: 'ticker', answer: (query) => this.ticker(query) },
      '/v1/ticker/all': { group: 'ticker', answer: (query) => this.tickerAll(query) },
    };
  }

  readonly handle = (request: IncomingMessage, response: ServerResponse): void =>
    serveWithFaults(
      request,
      response,
      this.faults,
      this.timers,
      (status) =>
        (status === 429
          ? upbitError(429, 'too_many_requests', 'Too many API requests.')
          : upbitError(status, status, 'Simulated server fault.')
        ).body,
      (req, res, url) => this.serve(req, res, url),
    );

  private serve(request: IncomingMessage, response: ServerResponse, url: URL): void {
    const route = this.routes[url.pathname];
    if (!route) {
      sendJson(response, 404, JSON.stringify({ error: { name: 404, message: 'Not found' } }));
      return;
    }
    const ip = request.socket.remoteAddress ?? 'unknown';
    const key = `${ip}|${route.group}`;
    let window = this.windows.get(key);
    if (!window) {
      window = new SlidingWindow(this.config.restRequestsPerSecond, 1000);
      this.windows.set(key, window);
    }
    const now = this.clock.now();
    const allowed = window.hit(now);
    const headers = {
      'Remaining-Req': `group=${route.group}; min=600; sec=${window.remaining(now)}`,
      'Limit-By-Ip': 'Yes',
    };
    if (!allowed) {
      this.market.limitHits.record('upbit.restRequestsPerSecond');
      const answer = upbitError(429, 'too_many_requests', 'Too many API requests.');
      sendJson(response, answer.status, answer.body, headers);
      return;
    }
    const answer = route.answer(url.searchParams);
    sendJson(response, answer.status, answer.body, headers);
  }

  /** Books for `markets=A,B` (REST accepts lower case); unknown codes are skipped, none known → 404. */
  private books(query: URLSearchParams): UpbitMarketBook[] | Answer {
    const raw = query.get('markets');
    if (raw === null || raw.trim() === '') return INVALID;
    const books: UpbitMarketBook[] = [];
    for (const code of raw.split(',')) {
      const book = this.market.findUpbit(code.trim().toUpperCase());
      if (book && !books.includes(book)) books.push(book);
    }
    return books.length > 0 ? books : NOT_FOUND;
  }

  private marketAll(query: URLSearchParams): Answer {
    const details = query.get('is_details') === 'true';
    const list = this.market.upbitCodes.map((code) => {
      const names = this.market.upbitNames(code);
      const entry: Record<string, unknown> = {
        market: code,
        korean_name: names.korean,
        english_name: names.english,
      };
      if (details) {
        entry.market_event = {
          warning: false,
          caution: {
            PRICE_FLUCTUATIONS: false,
            TRADING_VOLUME_SOARING: false,
            DEPOSIT_AMOUNT_SOARING: false,
            GLOBAL_PRICE_DIFFERENCES: false,
            CONCENTRATION_OF_SMALL_ACCOUNTS: false,
          },
        };
      }
      return entry;
    });
    return { status: 200, body: JSON.stringify(list) };
  }

  private orderbook(query: URLSearchParams): Answer {
    const books = this.books(query);
    if (!Array.isArray(books)) return books;
    const level = query.get('level');
    if (level !== null && level !== '' && Number(level) !== 0) return { status: 200, body: '[]' };
    const count = Number(query.get('count') ?? UPBIT_UNITS);
    const units = Number.isInteger(count) && count >= 1 && count <= UPBIT_UNITS ? count : UPBIT_UNITS;
    return {
      status: 200,
      body: `[${books.map((book) => orderbookRestItem(book, book.frame(units), units)).join(',')}]`,
    };
  }

  private instruments(query: URLSearchParams): Answer {
    const books = this.books(query);
    if (!Array.isArray(books)) return books;
    const list = books.map((book) => {
      const best = book.ladder.bids.key(0) ?? 0;
      return {
        market: book.code,
        quote_currency: 'KRW',
        tick_size: String(upbitKrwTickSize(book.priceOf(best), book.base)),
        supported_levels: ['0'],
      };
    });
    return { status: 200, body: JSON.stringify(list) };
  }

  private ticker(query: URLSearchParams): Answer {
    const books = this.books(query);
    if (!Array.isArray(books)) return books;
    const now = this.clock.now();
    return {
      status: 200,
      body: JSON.stringify(
        books.map((book) => tickerRestItem(book.code, this.market.upbitTicker(book.code), now)),
      ),
    };
  }

  private tickerAll(query: URLSearchParams): Answer {
    const quotes = query.get('quote_currencies');
    if (quotes === null || quotes.trim() === '') return INVALID;
    const wanted = quotes.split(',').map((quote) => quote.trim().toUpperCase());
    const now = this.clock.now();
    const codes = wanted.includes('KRW') ? this.market.upbitCodes : [];
    return {
      status: 200,
      body: JSON.stringify(codes.map((code) => tickerRestItem(code, this.market.upbitTicker(code), now))),
    };
  }
}
