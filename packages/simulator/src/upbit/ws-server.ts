import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Clock } from '@arbitrage/core';
import { WebSocketServer } from 'ws';
import type { ResolvedUpbit } from '../config.js';
import type { RefuseState } from '../faults/rest-faults.js';
import type { Market } from '../model/market.js';
import { socketPumpTransport } from '../model/pump-transport.js';
import type { UpbitFrameState, UpbitMarketBook, UpbitTrade } from '../model/upbit-book.js';
import { UPBIT_UNITS } from '../model/upbit-book.js';
import { SlidingWindow } from '../server/sliding-window.js';
import { TrackedServer } from '../server/tracked-server.js';
import { type ConnectionIds, rejectUpgrade } from '../server/upgrade.js';
import { formatted, isSimple, UpbitConnection } from './connection.js';
import { orderbookFrame, tickerFrame, tradeFrame } from './frames.js';

/** The Upbit quotation WebSocket (`/websocket/v1`) on one port. */
export class UpbitWsServer {
  private readonly http: TrackedServer;
  private readonly wss: WebSocketServer;
  private readonly connections = new Map<number, UpbitConnection>();
  /** Raw sockets of the open connections, for the bench feed's backpressure (pump-transport.ts). */
  private readonly sockets = new Map<number, Duplex>();
  /** Connection attempts per IP (docs/protocols/upbit.md A7: 5 per second). */
  private readonly attempts = new Map<string, SlidingWindow>();

  constructor(
    private readonly market: Market,
    private readonly config: ResolvedUpbit,
    private readonly clock: Clock,
    private readonly refuse: RefuseState,
    private readonly ids: ConnectionIds,
  ) {
    this.http = new TrackedServer((_request, response) => {
      response.writeHead(404).end();
    });
    this.http.refuse = () => this.refuse.active(this.clock.now()) && this.refuse.mode === 'reset';
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: true,
      autoPong: false,
      clientTracking: false,
      maxPayload: 1 << 20,
    });
    this.wss.on('headers', (headers) => {
      headers.push('remaining-req: group=websocket; min=300; sec=4', 'limit-by-ip: Yes');
    });
    this.http.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.onUpgrade(request, socket, head),
    );
    market.onUpbit((book, trade) => this.onStep(book, trade));
    market.setPumpTransport(
      'upbit',
      socketPumpTransport(() => this.sockets.values()),
    );
  }

  listen(host: string, port: number): Promise<number> {
    return this.http.listen(host, port);
  }

  list(): UpbitConnection[] {
    return [...this.connections.values()];
  }

  async close(): Promise<void> {
    for (const connection of this.connections.values()) connection.terminate();
    this.connections.clear();
    this.sockets.clear();
    this.market.setPumpTransport('upbit', undefined);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await this.http.close();
  }

  private onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => {});
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/websocket/v1/private') {
      rejectUpgrade(socket, 401, 'Unauthorized');
      return;
    }
    if (path !== '/websocket/v1' && path !== '/websocket/v1/') {
      rejectUpgrade(socket, 404, 'Not Found');
      return;
    }
    const refusing = this.refuse.active(this.clock.now());
    if (refusing && this.refuse.mode === 'http-503') {
      rejectUpgrade(socket, 503, 'Service Unavailable');
      return;
    }
    if (!this.withinConnectLimit(request.socket.remoteAddress ?? 'unknown')) {
      this.market.limitHits.record('upbit.connectsPerSecond');
      rejectUpgrade(socket, 429, 'Too Many Requests');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const id = this.ids.take();
      const connection = new UpbitConnection(id, ws, {
        config: this.config,
        clock: this.clock,
        market: this.market,
        onClosed: (closed) => {
          this.connections.delete(closed.id);
          this.sockets.delete(closed.id);
        },
      });
      this.connections.set(id, connection);
      this.sockets.set(id, socket);
      connection.start();
      if (refusing && this.refuse.mode === 'close-after-open') connection.close(this.refuse.closeCode);
    });
  }

  private withinConnectLimit(ip: string): boolean {
    if (this.config.maxConnectsPerSecond === 0) return true;
    let window = this.attempts.get(ip);
    if (!window) {
      window = new SlidingWindow(this.config.maxConnectsPerSecond, 1000);
      this.attempts.set(ip, window);
    }
    return window.hit(this.clock.now());
  }

  /** Publishes one book update (and its trade) to every subscribed connection. */
  private onStep(book: UpbitMarketBook, trade: UpbitTrade | undefined): void {
    if (this.connections.size === 0) return;
    const code = book.code;
    const now = this.clock.now();
    let state: UpbitFrameState | undefined;
    const frames = new Map<string, string>();
    let recorded = false;
    for (const connection of this.connections.values()) {
      const subscription = connection.subscription;
      if (!subscription) continue;
      const format = connection.format;
      const simple = isSimple(format);
      const units = subscription.orderbook.get(code);
      if (units !== undefined) {
        state ??= book.frame(UPBIT_UNITS);
        const key = `o${units}${format}`;
        let frame = frames.get(key);
        if (frame === undefined) {
          frame = formatted(orderbookFrame(book, state, units, simple, 'REALTIME'), format);
          frames.set(key, frame);
        }
        if (!recorded) {
          this.market.upbitSendTimes.record(code, state.timestamp);
          recorded = true;
        }
        const frozen = state;
        connection.deliverOrderbook(code, frame, () =>
          formatted(orderbookFrame(book, crossedState(book, frozen), units, simple, 'REALTIME'), format),
        );
      }
      if (!trade) continue;
      const ticker = this.market.upbitTicker(code);
      if (subscription.trade.has(code)) {
        const key = `t${format}`;
        let frame = frames.get(key);
        if (frame === undefined) {
          frame = formatted(tradeFrame(book, trade, ticker, simple, 'REALTIME'), format);
          frames.set(key, frame);
        }
        connection.deliverOther(code, frame);
      }
      if (subscription.ticker.has(code)) {
        const key = `k${format}`;
        let frame = frames.get(key);
        if (frame === undefined) {
          frame = formatted(tickerFrame(code, ticker, now, simple, 'REALTIME'), format);
          frames.set(key, frame);
        }
        connection.deliverOther(code, frame);
      }
    }
  }
}

/** The same top of book with the best bid moved one tick above the best ask. */
export function crossedState(book: UpbitMarketBook, state: UpbitFrameState): UpbitFrameState {
  const bidKeys = [...state.bidKeys];
  const askKey = state.askKeys[0] ?? 0;
  bidKeys[0] = book.ladder.grid.up(askKey, 1);
  return { ...state, bidKeys };
}
