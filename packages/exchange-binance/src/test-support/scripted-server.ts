import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface ScriptedRequest {
  readonly at: number;
  readonly method: string;
  readonly params: readonly string[];
  readonly id: unknown;
}

export interface ScriptedConnection {
  readonly ws: WebSocket;
  readonly path: string;
  readonly requests: ScriptedRequest[];
  send(frame: string): void;
}

export type SubscribePolicy = 'ack' | 'ignore' | 'error-nested' | 'error-flat';

/**
 * A Binance-like WebSocket server whose answers the test scripts: SUBSCRIBE replies follow
 * `policy(request, connectionIndex)`; data frames are sent by the test.
 */
export async function startScriptedServer(
  policy: (request: ScriptedRequest, connection: number) => SubscribePolicy,
) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const connections: ScriptedConnection[] = [];
  wss.on('connection', (ws, request) => {
    const index = connections.length;
    const connection: ScriptedConnection = {
      ws,
      path: request.url ?? '',
      requests: [],
      send: (frame) => ws.send(frame),
    };
    connections.push(connection);
    ws.on('message', (data) => {
      const parsed = JSON.parse(data.toString()) as { method: string; params?: string[]; id: unknown };
      const entry = { at: Date.now(), method: parsed.method, params: parsed.params ?? [], id: parsed.id };
      connection.requests.push(entry);
      const answer = parsed.method === 'SUBSCRIBE' ? policy(entry, index) : 'ack';
      if (answer === 'ack') ws.send(JSON.stringify({ result: null, id: parsed.id }));
      else if (answer === 'error-nested')
        ws.send(
          JSON.stringify({ error: { code: 2, msg: 'Invalid request: invalid stream' }, id: parsed.id }),
        );
      else if (answer === 'error-flat')
        ws.send(JSON.stringify({ code: 2, msg: 'Invalid request: invalid stream', id: parsed.id }));
    });
  });
  await new Promise<void>((resolve) => wss.on('listening', () => resolve()));
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    connections,
    open: () => connections.filter((c) => c.ws.readyState === c.ws.OPEN),
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
