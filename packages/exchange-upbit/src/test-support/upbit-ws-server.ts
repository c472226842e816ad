import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { bookMessage, type Unit } from './frames.js';

/** One accepted connection as the test server sees it. */
export class UpbitPeer {
  /** Text messages received (subscription requests, PING). */
  readonly received: string[] = [];
  pings = 0;

  constructor(
    readonly index: number,
    readonly socket: WebSocket,
  ) {}

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Subscription requests received (parsed). */
  get subscriptions(): unknown[][] {
    const out: unknown[][] = [];
    for (const text of this.received) {
      try {
        const value: unknown = JSON.parse(text);
        if (Array.isArray(value)) out.push(value);
      } catch {
        // PING and other text
      }
    }
    return out;
  }

  send(data: string | Buffer, binary = true): void {
    if (this.open)
      this.socket.send(typeof data === 'string' && binary ? Buffer.from(data) : data, { binary });
  }
}

export interface UpbitTestServerOptions {
  /** Codes that exist: a subscription to them is answered with a SNAPSHOT of `books`. */
  readonly books?: Map<string, { units: Unit[]; timestamp: number }>;
  /** Close a connection that received nothing (not even a ping) for this long, like Upbit's idle close. */
  readonly idleCloseMs?: number;
  /** Codes for which the server sends nothing (stalled market). */
  readonly silent?: Set<string>;
}

/** The codes, without suffix, named by a subscription request. */
export function subscribedCodes(request: unknown[]): string[] {
  const type = request.find(
    (item): item is { codes: string[] } =>
      typeof item === 'object' && item !== null && Array.isArray((item as { codes?: unknown }).codes),
  );
  return (type?.codes ?? []).map((code) => code.replace(/\.\d+$/, ''));
}

/**
 * A loopback stand-in for Upbit's public WebSocket, for stream tests that need precise control:
 * it answers subscriptions with SNAPSHOTs from `books`, PING with {"status":"UP"}, and can close
 * idle connections.
 */
export class UpbitTestServer {
  readonly peers: UpbitPeer[] = [];
  readonly books: Map<string, { units: Unit[]; timestamp: number }>;
  readonly silent: Set<string>;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly options: UpbitTestServerOptions) {
    this.books = options.books ?? new Map();
    this.silent = options.silent ?? new Set();
    this.http = createServer();
    this.http.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.wss = new WebSocketServer({ server: this.http, path: '/websocket/v1' });
    this.wss.on('connection', (socket) => this.accept(socket));
  }

  static async start(options: UpbitTestServerOptions = {}): Promise<UpbitTestServer> {
    const server = new UpbitTestServer(options);
    await new Promise<void>((resolve) => server.http.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}/websocket/v1`;
  }

  get last(): UpbitPeer | undefined {
    return this.peers[this.peers.length - 1];
  }

  get openPeers(): number {
    return this.peers.filter((peer) => peer.open).length;
  }

  /** Sets a code's true book and publishes it on every open connection subscribed to it. */
  publish(
    code: string,
    units: Unit[],
    timestamp: number,
    streamType: 'SNAPSHOT' | 'REALTIME' = 'REALTIME',
  ): void {
    this.books.set(code, { units, timestamp });
    for (const peer of this.peers) {
      const last = peer.subscriptions[peer.subscriptions.length - 1];
      if (peer.open && last && subscribedCodes(last).includes(code)) {
        peer.send(JSON.stringify(bookMessage({ code, units, timestamp, streamType })));
      }
    }
  }

  async close(): Promise<void> {
    for (const peer of this.peers) peer.socket.terminate();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    const peer = new UpbitPeer(this.peers.length, socket);
    this.peers.push(peer);
    socket.on('error', () => {});
    let idleTimer: NodeJS.Timeout | undefined;
    const touch = (): void => {
      if (this.options.idleCloseMs === undefined) return;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => socket.terminate(), this.options.idleCloseMs);
    };
    touch();
    socket.on('close', () => clearTimeout(idleTimer));
    socket.on('ping', () => {
      peer.pings++;
      touch();
    });
    socket.on('message', (data, isBinary) => {
      touch();
      const text = isBinary ? '<binary>' : (data as Buffer).toString('utf8');
      peer.received.push(text);
      if (text === 'PING') {
        peer.send('{"status":"UP"}');
        return;
      }
      let request: unknown;
      try {
        request = JSON.parse(text);
      } catch {
        peer.send('{"error":{"name":"WRONG_FORMAT","message":"Requested using wrong format."}}');
        return;
      }
      if (!Array.isArray(request)) return;
      const format = request.find(
        (item): item is { format: string } => typeof item?.format === 'string',
      )?.format;
      for (const code of subscribedCodes(request)) {
        const book = this.books.get(code);
        if (!book || this.silent.has(code)) continue;
        const message = bookMessage({
          code,
          units: book.units,
          timestamp: book.timestamp,
          streamType: 'SNAPSHOT',
          format: format === 'SIMPLE' ? 'SIMPLE' : 'DEFAULT',
        });
        peer.send(JSON.stringify(message));
      }
    });
  }
}
