import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  readonly path: string;
  readonly query: URLSearchParams;
}

export interface StubReply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** Never answer (the request hangs until the client gives up). */
  readonly hang?: boolean;
}

export interface RestStub {
  readonly url: string;
  readonly requests: StubRequest[];
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** A tiny Binance-like REST server on 127.0.0.1 whose replies the test decides. */
export async function startRestStub(reply: (request: StubRequest) => StubReply): Promise<RestStub> {
  const requests: StubRequest[] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request = { path: url.pathname, query: url.searchParams };
    requests.push(request);
    const answer = reply(request);
    if (answer.hang) return;
    const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
    res.end(body);
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const DEPTH_BODY = {
  lastUpdateId: 1027024,
  bids: [
    ['4.00000000', '431.00000000'],
    ['3.99000000', '9.00000000'],
  ],
  asks: [['4.00000200', '12.00000000']],
};
