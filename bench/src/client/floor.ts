import WebSocket from 'ws';
import type { ClientConfig } from '../protocol.js';
import type { ClientFactory, RunningClient } from './client.js';
import type { Recorder } from './recorder.js';

/**
 * The floor: a bare `ws` socket and JSON.parse of every frame, nothing else (no book, no checks).
 * Binance: one combined-stream connection for every symbol's @depth@100ms; Upbit: one connection
 * with one orderbook subscription for every code.
 */
export const startFloor: ClientFactory = async (config: ClientConfig, recorder: Recorder) => {
  const binance = config.exchange === 'binance';
  const url = binance
    ? `${config.wsUrl}/stream?streams=${config.symbols.map((s) => `${s.toLowerCase()}@depth@100ms`).join('/')}`
    : `${config.wsUrl}/websocket/v1`;
  const ws = new WebSocket(url, { perMessageDeflate: false });
  let frames = 0;
  ws.on('message', (data: Buffer) => {
    frames++;
    const message = JSON.parse(data.toString()) as {
      data?: { s: string; u: number };
      code?: string;
      timestamp?: number;
    };
    if (binance) {
      if (message.data !== undefined) recorder.record(message.data.s, message.data.u);
    } else if (message.code !== undefined && message.timestamp !== undefined) {
      recorder.record(message.code, message.timestamp);
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  if (!binance) {
    ws.send(
      JSON.stringify([
        { ticket: 'bench-floor' },
        { type: 'orderbook', codes: config.symbols },
        { format: 'DEFAULT' },
      ]),
    );
  }
  const client: RunningClient = {
    books: () => undefined,
    notes: () => ({ implementation: 'ws + JSON.parse', frames }),
    close: async () => {
      ws.close();
      if (ws.readyState !== WebSocket.CLOSED) await new Promise((resolve) => ws.once('close', resolve));
    },
  };
  return client;
};
