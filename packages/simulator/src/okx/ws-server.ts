import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Clock } from '@arbitrage/core';
import { WebSocketServer } from 'ws';
import type { ResolvedOkx } from '../config.js';
import type { RefuseState } from '../faults/rest-faults.js';
import type { Market } from '../model/market.js';
import { socketPumpTransport } from '../model/pump-transport.js';
import { TrackedServer } from '../server/tracked-server.js';
import { type ConnectionIds, rejectUpgrade } from '../server/upgrade.js';
import { OkxConnection } from './connection.js';
import { OkxFeedHub } from './feed-hub.js';

/** The public endpoint's path (docs/protocols/okx.md E3). */
export const OKX_PUBLIC_PATH = '/ws/v5/public';

/** The OKX public WebSocket server (ws.okx.com look-alike) on one port. */
export class OkxWsServer {
  readonly hub: OkxFeedHub;
  private readonly http: TrackedServer;
  private readonly wss: WebSocketServer;
  private readonly connections = new Map<number, OkxConnection>();

  constructor(
    private readonly market: Market,
    private readonly config: ResolvedOkx,
    private readonly clock: Clock,
    private readonly refuse: RefuseState,
    private readonly ids: ConnectionIds,
  ) {
    this.hub = new OkxFeedHub(market, config.checksum);
    this.http = new TrackedServer((_request, response) => {
      response.writeHead(404).end();
    });
    this.http.refuse = () => this.refuse.active(this.clock.now()) && this.refuse.mode === 'reset';
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      clientTracking: false,
      maxPayload: 1 << 20,
    });
    this.http.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.onUpgrade(request, socket, head),
    );
    market.setPumpTransport(
      'okx',
      socketPumpTransport(() => [...this.connections.values()].map((connection) => connection.socket)),
    );
  }

  listen(host: string, port: number): Promise<number> {
    return this.http.listen(host, port);
  }

  list(): OkxConnection[] {
    return [...this.connections.values()];
  }

  async close(): Promise<void> {
    for (const connection of this.connections.values()) connection.terminate();
    this.connections.clear();
    this.market.setPumpTransport('okx', undefined);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await this.http.close();
  }

  private onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => {});
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== OKX_PUBLIC_PATH) {
      rejectUpgrade(socket, 404, 'Not Found');
      return;
    }
    const refusing = this.refuse.active(this.clock.now());
    if (refusing && this.refuse.mode === 'http-503') {
      rejectUpgrade(socket, 503, 'Service Unavailable');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const id = this.ids.take();
      const connection = new OkxConnection(id, ws, request.socket as Socket, {
        config: this.config,
        clock: this.clock,
        hub: this.hub,
        market: this.market,
        onClosed: (closed) => this.connections.delete(closed.id),
      });
      this.connections.set(id, connection);
      connection.start();
      if (refusing && this.refuse.mode === 'close-after-open') connection.close(this.refuse.closeCode);
    });
  }
}
