import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Clock } from '@arbitrage/core';
import { WebSocketServer } from 'ws';
import type { ResolvedBinance } from '../config.js';
import type { RefuseState } from '../faults/rest-faults.js';
import type { Market, PumpTransport } from '../model/market.js';
import { socketPumpTransport } from '../model/pump-transport.js';
import { SlidingWindow } from '../server/sliding-window.js';
import { TrackedServer } from '../server/tracked-server.js';
import { type ConnectionIds, rejectUpgrade } from '../server/upgrade.js';
import { BinanceConnection } from './connection.js';
import { BinanceStreamHub } from './stream-hub.js';
import { parseStreamName, type StreamSpec } from './streams.js';

interface Route {
  readonly combined: boolean;
  readonly streams: StreamSpec[];
}

/** Stream names from the URL; names Binance would reject are ignored (the connection stays open). */
function specs(names: readonly string[]): StreamSpec[] {
  const out: StreamSpec[] = [];
  for (const name of names) {
    const spec = name === '' ? undefined : parseStreamName(decodeURIComponent(name));
    if (spec && !out.some((known) => known.name === spec.name)) out.push(spec);
  }
  return out;
}

/** `/ws`, `/ws/<stream>[/<stream>…]` (raw) and `/stream?streams=a/b` (combined). */
export function routeBinance(url: URL): Route | undefined {
  const path = url.pathname;
  if (path === '/ws' || path === '/ws/') return { combined: false, streams: [] };
  if (path.startsWith('/ws/')) return { combined: false, streams: specs(path.slice(4).split('/')) };
  if (path === '/stream' || path === '/stream/') {
    return { combined: true, streams: specs((url.searchParams.get('streams') ?? '').split('/')) };
  }
  return undefined;
}

/** The Binance market-stream server (stream.binance.com look-alike) on one port. */
export class BinanceWsServer {
  readonly hub: BinanceStreamHub;
  private readonly http: TrackedServer;
  private readonly wss: WebSocketServer;
  private readonly connections = new Map<number, BinanceConnection>();
  /** New connections per IP (docs/protocols/binance.md B2: 300 per 5 minutes). */
  private readonly attempts = new Map<string, SlidingWindow>();

  constructor(
    private readonly market: Market,
    private readonly config: ResolvedBinance,
    private readonly clock: Clock,
    private readonly refuse: RefuseState,
    private readonly ids: ConnectionIds,
  ) {
    this.hub = new BinanceStreamHub(market, config.updatesPerSecond);
    this.http = new TrackedServer((_request, response) => {
      response.writeHead(404).end();
    });
    this.http.refuse = () => this.refuse.active(this.clock.now()) && this.refuse.mode === 'reset';
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      autoPong: false,
      clientTracking: false,
      maxPayload: 1 << 20,
    });
    this.http.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.onUpgrade(request, socket, head),
    );
    market.setPumpTransport('binance', this.transport);
  }

  listen(host: string, port: number): Promise<number> {
    return this.http.listen(host, port);
  }

  list(): BinanceConnection[] {
    return [...this.connections.values()];
  }

  get(id: number): BinanceConnection | undefined {
    return this.connections.get(id);
  }

  async close(): Promise<void> {
    for (const connection of this.connections.values()) connection.terminate();
    this.connections.clear();
    this.market.setPumpTransport('binance', undefined);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await this.http.close();
  }

  private onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => {});
    const route = routeBinance(new URL(request.url ?? '/', 'http://localhost'));
    if (!route) {
      rejectUpgrade(socket, 404, 'Not Found');
      return;
    }
    const refusing = this.refuse.active(this.clock.now());
    if (refusing && this.refuse.mode === 'http-503') {
      rejectUpgrade(socket, 503, 'Service Unavailable');
      return;
    }
    if (!this.withinConnectionLimit(request.socket.remoteAddress ?? 'unknown')) {
      this.market.limitHits.record('binance.connectionsPer5Min');
      rejectUpgrade(socket, 429, 'Too Many Requests');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const id = this.ids.take();
      const connection = new BinanceConnection(
        id,
        ws,
        request.socket as Socket,
        request.url ?? '/',
        route.combined,
        {
          config: this.config,
          clock: this.clock,
          hub: this.hub,
          market: this.market,
          onClosed: (closed) => this.connections.delete(closed.id),
        },
      );
      this.connections.set(id, connection);
      connection.start(route.streams);
      if (refusing && this.refuse.mode === 'close-after-open') connection.close(this.refuse.closeCode);
    });
  }

  private withinConnectionLimit(ip: string): boolean {
    let window = this.attempts.get(ip);
    if (!window) {
      window = new SlidingWindow(this.config.maxConnectionsPer5Min, 5 * 60_000);
      this.attempts.set(ip, window);
    }
    return window.hit(this.clock.now());
  }

  private readonly transport: PumpTransport = socketPumpTransport(() =>
    [...this.connections.values()].map((connection) => connection.socket),
  );
}
