import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

type Level = [string, string, string, string];

/** A level as OKX writes it: `[price, size, "0", orderCount]` (docs/protocols/okx.md E1). */
export function lv(price: number, size: number): Level {
  return [String(price), String(size), '0', '1'];
}

export interface BookData {
  readonly seqId: number;
  /** The book's `ts` (default: the time of the request). */
  readonly ts?: number;
  readonly bids: readonly Level[];
  readonly asks: readonly Level[];
}

/** A `books` push (E4). */
export function bookPush(
  instId: string,
  action: 'snapshot' | 'update',
  prevSeqId: number,
  seqId: number,
  bids: readonly Level[] = [],
  asks: readonly Level[] = [],
  ts = Date.now(),
): string {
  return JSON.stringify({
    arg: { channel: 'books', instId },
    action,
    data: [{ asks, bids, ts: String(ts), checksum: 0, seqId, prevSeqId }],
  });
}

export function books5Push(
  instId: string,
  seqId: number,
  bids: readonly Level[],
  asks: readonly Level[],
): string {
  return JSON.stringify({
    arg: { channel: 'books5', instId },
    data: [{ asks, bids, instId, ts: String(Date.now()), seqId }],
  });
}

export interface SubscribeRequest {
  readonly id: string | undefined;
  readonly op: string;
  readonly instIds: readonly string[];
  readonly channel: string;
}

/** How the server answers one arg of a subscribe request (OKX answers each arg on its own, E3). */
export type SubscribeAnswer = 'ack' | 'ignore' | 'error-with-id' | 'error-naming' | 'error-anonymous';

export interface OkxConnection {
  readonly ws: WebSocket;
  readonly requests: SubscribeRequest[];
  pings: number;
  send(frame: string): void;
}

export interface RestReply {
  readonly status?: number;
  readonly body: unknown;
}

export interface OkxServerOptions {
  subscribe?: (request: SubscribeRequest, instId: string) => SubscribeAnswer;
  /** Called after each ack, e.g. to send the snapshot push that OKX sends there (E6). */
  afterAck?: (connection: OkxConnection, instId: string) => void;
  /** Answer text `ping` with `pong` (default true). */
  answerPings?: boolean;
  /** REST answers (default: `books` from the map, as an OKX envelope). */
  rest?: (path: string, query: URLSearchParams) => RestReply | Promise<RestReply>;
}

/**
 * An OKX-like public WebSocket and REST server on 127.0.0.1, both scripted by the test: subscribe
 * replies follow `subscribe`, data frames are sent by the test, REST books come from `books`.
 */
export async function startOkxServer(options: OkxServerOptions = {}) {
  const books = new Map<string, BookData>();
  const restRequests: { path: string; query: URLSearchParams }[] = [];
  const connections: OkxConnection[] = [];
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (ws) => {
    const connection: OkxConnection = { ws, requests: [], pings: 0, send: (frame) => ws.send(frame) };
    connections.push(connection);
    ws.on('message', (data) => {
      const text = data.toString();
      if (text === 'ping') {
        connection.pings++;
        if (options.answerPings !== false) ws.send('pong');
        return;
      }
      const parsed = JSON.parse(text) as {
        id?: string;
        op: string;
        args: { channel: string; instId: string }[];
      };
      const request: SubscribeRequest = {
        id: parsed.id,
        op: parsed.op,
        instIds: parsed.args.map((arg) => arg.instId),
        channel: parsed.args[0]?.channel ?? '',
      };
      connection.requests.push(request);
      if (parsed.op !== 'subscribe') return;
      const idPart = parsed.id === undefined ? {} : { id: parsed.id };
      for (const arg of parsed.args) {
        const answer = options.subscribe?.(request, arg.instId) ?? 'ack';
        const doesNotExist = `Wrong URL or channel:${arg.channel},instId:${arg.instId} doesn't exist.`;
        if (answer === 'ack') {
          ws.send(JSON.stringify({ ...idPart, event: 'subscribe', arg, connId: 'c1' }));
          options.afterAck?.(connection, arg.instId);
        } else if (answer === 'error-with-id') {
          ws.send(
            JSON.stringify({ ...idPart, event: 'error', code: '60018', msg: doesNotExist, connId: 'c1' }),
          );
        } else if (answer === 'error-naming') {
          ws.send(JSON.stringify({ event: 'error', code: '60018', msg: doesNotExist, connId: 'c1' }));
        } else if (answer === 'error-anonymous') {
          ws.send(JSON.stringify({ event: 'error', code: '60012', msg: 'Invalid request', connId: 'c1' }));
        }
      }
    });
  });
  await new Promise<void>((resolve) => wss.on('listening', () => resolve()));
  const wsPort = (wss.address() as AddressInfo).port;

  const defaultRest = (path: string, query: URLSearchParams): RestReply => {
    if (path !== '/api/v5/market/books') return { status: 404, body: { code: '50000', msg: 'not here' } };
    const book = books.get(query.get('instId') ?? '');
    if (book === undefined)
      return { status: 400, body: { code: '51001', msg: "Instrument ID doesn't exist", data: [] } };
    return {
      body: {
        code: '0',
        msg: '',
        data: [{ asks: book.asks, bids: book.bids, ts: String(book.ts ?? Date.now()), seqId: book.seqId }],
      },
    };
  };
  const httpServer = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    restRequests.push({ path: url.pathname, query: url.searchParams });
    const reply = await (options.rest ?? defaultRest)(url.pathname, url.searchParams);
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    if (res.destroyed) return;
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const restPort = (httpServer.address() as AddressInfo).port;

  return {
    wsUrl: `ws://127.0.0.1:${wsPort}/ws/v5/public`,
    restUrl: `http://127.0.0.1:${restPort}`,
    books,
    restRequests,
    connections,
    defaultRest,
    open: () => connections.filter((c) => c.ws.readyState === c.ws.OPEN),
    /** Sends a frame on every open connection. */
    push: (frame: string) => {
      for (const c of connections) if (c.ws.readyState === c.ws.OPEN) c.send(frame);
    },
    close: () =>
      Promise.all([
        new Promise<void>((resolve) => {
          for (const client of wss.clients) client.terminate();
          wss.close(() => resolve());
        }),
        new Promise<void>((resolve) => {
          httpServer.closeAllConnections();
          httpServer.close(() => resolve());
        }),
      ]),
  };
}

export type OkxServer = Awaited<ReturnType<typeof startOkxServer>>;
