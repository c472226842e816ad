import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '@arbitrage/core';
import type { ResolvedOkx } from '../config.js';
import { type RestFaultRules, serveWithFaults } from '../faults/rest-faults.js';
import type { Market } from '../model/market.js';
import { SlidingWindow } from '../server/sliding-window.js';
import { sendJson } from '../server/tracked-server.js';
import type { TimerGroup } from '../timers.js';
import { OKX_MAX_LEVELS, restBooksBody } from './frames.js';
import { instrumentInfo } from './instruments.js';

type Answer = { readonly status: number; readonly body: string };

/** OKX's error envelope `{"code","msg","data":[]}` (docs/protocols/okx.md E2). */
function okxError(status: number, code: string, msg: string): Answer {
  return { status, body: JSON.stringify({ code, msg, data: [] }) };
}

function ok(data: unknown[]): Answer {
  return { status: 200, body: JSON.stringify({ code: '0', msg: '', data }) };
}

const RATE_LIMITED = okxError(429, '50011', 'Too Many Requests');
const NOT_FOUND = okxError(404, '50000', 'Not Found');
const INSTRUMENT_TYPES = ['SPOT', 'MARGIN', 'SWAP', 'FUTURES', 'OPTION'];

/** 50014: a required parameter is missing; 51000: a parameter has a bad value (E2). */
function empty(name: string): Answer {
  return okxError(400, '50014', `Parameter ${name} can not be empty.`);
}

function paramError(name: string): Answer {
  return okxError(400, '51000', `Parameter ${name} error`);
}

/** An unknown instrument: code 51001 with HTTP 200, as E2 says errors can come. */
const UNKNOWN_INSTRUMENT = okxError(200, '51001', "Instrument ID doesn't exist.");

/** OKX public REST market data: instruments, books, time (docs/protocols/okx.md E1, E2). */
export class OkxRest {
  private readonly windows = new Map<string, SlidingWindow>();
  private readonly routes: Record<string, (query: URLSearchParams) => Answer>;
  private readonly listTime: number;

  constructor(
    private readonly market: Market,
    private readonly config: ResolvedOkx,
    private readonly clock: Clock,
    private readonly faults: RestFaultRules,
    private readonly timers: TimerGroup,
  ) {
    this.listTime = clock.now() - 365 * 24 * 3_600_000;
    this.routes = {
      '/api/v5/public/instruments': (query) => this.instruments(query),
      '/api/v5/market/books': (query) => this.books(query),
      '/api/v5/public/time': () => ok([{ ts: String(this.clock.now()) }]),
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
          ? RATE_LIMITED
          : okxError(status, '50001', 'Service temporarily unavailable. Please try again later.')
        ).body,
      (req, res, url) => this.serve(req, res, url),
    );

  private serve(request: IncomingMessage, response: ServerResponse, url: URL): void {
    const route = this.routes[url.pathname];
    if (!route) {
      sendJson(response, NOT_FOUND.status, NOT_FOUND.body);
      return;
    }
    // E2: public endpoints are limited per IP in 2-second windows; over it → 429, code 50011.
    const key = `${request.socket.remoteAddress ?? 'unknown'} ${url.pathname}`;
    let window = this.windows.get(key);
    if (!window) {
      window = new SlidingWindow(this.config.restRequestsPer2s, 2000);
      this.windows.set(key, window);
    }
    if (!window.hit(this.clock.now())) {
      sendJson(response, RATE_LIMITED.status, RATE_LIMITED.body);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const answer = okxError(405, '50000', `Method ${request.method} is not served by the simulator.`);
      sendJson(response, answer.status, answer.body);
      return;
    }
    const answer = route(url.searchParams);
    sendJson(response, answer.status, answer.body);
  }

  private instruments(query: URLSearchParams): Answer {
    const instType = query.get('instType');
    if (instType === null || instType === '') return empty('instType');
    if (!INSTRUMENT_TYPES.includes(instType)) return paramError('instType');
    if (instType !== 'SPOT') return ok([]);
    const instId = query.get('instId');
    const books =
      instId === null || instId === ''
        ? this.market.okxInstIds.map((id) => this.market.okx(id))
        : [this.market.findOkx(instId)];
    if (books.some((book) => book === undefined)) return UNKNOWN_INSTRUMENT;
    return ok(books.map((book) => instrumentInfo(book!, this.listTime)));
  }

  private books(query: URLSearchParams): Answer {
    const instId = query.get('instId');
    if (instId === null || instId === '') return empty('instId');
    const book = this.market.findOkx(instId);
    if (!book) return UNKNOWN_INSTRUMENT;
    const raw = query.get('sz');
    // E1: `sz` defaults to 1; at most 400 levels per side.
    let size = 1;
    if (raw !== null && raw !== '') {
      if (!/^[0-9]{1,6}$/.test(raw) || Number(raw) < 1) return paramError('sz');
      size = Math.min(OKX_MAX_LEVELS, Number(raw));
    }
    return { status: 200, body: restBooksBody(book, size, book.timestamp) };
  }
}
