import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  /** The raw query string as received, without `?`. */
  readonly rawQuery: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export type Handler = (request: SeenRequest, response: http.ServerResponse, index: number) => void;

/** A real node:http server on 127.0.0.1, port 0, recording every request. */
export class RestTestServer {
  readonly requests: SeenRequest[] = [];
  private readonly sockets = new Set<import('node:net').Socket>();
  private connectionCount = 0;

  private constructor(
    private readonly server: http.Server,
    public handler: Handler,
  ) {
    server.on('connection', (socket) => {
      this.connectionCount++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const target = request.url ?? '/';
        const mark = target.indexOf('?');
        const rawQuery = mark < 0 ? '' : target.slice(mark + 1);
        const seen: SeenRequest = {
          method: request.method ?? 'GET',
          path: mark < 0 ? target : target.slice(0, mark),
          rawQuery,
          query: new URLSearchParams(rawQuery),
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.requests.push(seen);
        this.handler(seen, response, this.requests.length - 1);
      });
    });
  }

  static async start(handler: Handler): Promise<RestTestServer> {
    const server = http.createServer();
    const instance = new RestTestServer(server, handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return instance;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** TCP connections accepted so far. */
  get connections(): number {
    return this.connectionCount;
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Answers `status` with a JSON (or raw string) body and extra headers. */
export function reply(
  response: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(text);
}
