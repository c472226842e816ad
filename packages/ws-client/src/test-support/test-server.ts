import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';

/** What to do with an upgrade request instead of accepting it. */
export type HandshakeAnswer =
  | { readonly reject: number; readonly headers?: Readonly<Record<string, string>> }
  | { readonly hang: true };

export interface TestServerOptions {
  /** Answer ping frames (default true). False simulates a peer that stopped answering heartbeats. */
  readonly autoPong?: boolean;
  /** Decide per upgrade request (0-based index) whether to reject or hang instead of accepting. */
  readonly onUpgrade?: (index: number, request: IncomingMessage) => HandshakeAnswer | undefined;
  /** Called for every accepted connection. */
  readonly onConnection?: (peer: ServerPeer) => void;
}

/** One accepted connection, as the server sees it. */
export class ServerPeer {
  readonly received: string[] = [];
  pings = 0;

  constructor(
    readonly index: number,
    readonly socket: WebSocket,
  ) {
    socket.on('message', (data, isBinary) => {
      this.received.push(
        isBinary ? `<binary ${(data as Buffer).length}>` : (data as Buffer).toString('utf8'),
      );
    });
    socket.on('ping', () => {
      this.pings++;
    });
    socket.on('error', () => {});
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Received messages parsed as JSON (non-JSON ones are skipped). */
  receivedJson(): unknown[] {
    const out: unknown[] = [];
    for (const text of this.received) {
      try {
        out.push(JSON.parse(text));
      } catch {
        // plain text such as PING
      }
    }
    return out;
  }

  sendJson(message: unknown, binary = false): void {
    const text = JSON.stringify(message);
    this.socket.send(binary ? Buffer.from(text) : text, { binary });
  }
}

/**
 * A `ws` server on 127.0.0.1, port 0, that misbehaves on request: rejects or hangs handshakes,
 * stops answering pings, and records everything each peer sent. Tracks raw TCP sockets so tests
 * can assert that nothing is left open.
 */
export class TestServer {
  readonly peers: ServerPeer[] = [];
  upgrades = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    readonly port: number,
  ) {}

  static async start(options: TestServerOptions = {}): Promise<TestServer> {
    const http = createServer((_request, response) => {
      response.writeHead(426).end();
    });
    const wss = new WebSocketServer({
      noServer: true,
      autoPong: options.autoPong ?? true,
      perMessageDeflate: false,
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const server = new TestServer(http, wss, (http.address() as AddressInfo).port);
    http.on('connection', (socket: Socket) => {
      server.sockets.add(socket);
      socket.on('close', () => server.sockets.delete(socket));
    });
    http.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
      const index = server.upgrades++;
      const answer = options.onUpgrade?.(index, request);
      if (answer && 'reject' in answer) {
        const headers = Object.entries(answer.headers ?? {})
          .map(([name, value]) => `${name}: ${value}\r\n`)
          .join('');
        socket.end(
          `HTTP/1.1 ${answer.reject} Rejected\r\n${headers}Content-Length: 0\r\nConnection: close\r\n\r\n`,
        );
        return;
      }
      if (answer && 'hang' in answer) {
        // Keep reading (and discarding) so the server notices when the client goes away.
        // http servers allow half-open sockets: close ours when the client ends its side.
        socket.on('end', () => socket.destroy());
        socket.on('error', () => {});
        socket.resume();
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => {
        const peer = new ServerPeer(server.peers.length, ws);
        server.peers.push(peer);
        options.onConnection?.(peer);
      });
    });
    return server;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  /** Raw TCP sockets the server still holds open (accepted, hung and upgraded alike). */
  get openSockets(): number {
    return this.sockets.size;
  }

  /** Peers whose WebSocket is still open. */
  get openPeers(): number {
    return this.peers.filter((peer) => peer.open).length;
  }

  get lastPeer(): ServerPeer | undefined {
    return this.peers[this.peers.length - 1];
  }

  async close(): Promise<void> {
    for (const peer of this.peers) peer.socket.terminate();
    for (const socket of this.sockets) socket.destroy();
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}

/** A port on 127.0.0.1 where nothing listens: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  await new Promise<void>((resolve) => http.close(() => resolve()));
  return port;
}
