import WebSocket from 'ws';
import type { ClientConfig } from '../protocol.js';
import type { ClientFactory, RunningClient } from './client.js';
import type { Recorder } from './recorder.js';

/** Under OKX's 30 s idle close (docs/protocols/okx.md E8): the floor's text `ping`. */
const OKX_PING_MS = 20_000;

/** Binance combined stream: `data`; Upbit: `code` and `timestamp`; OKX `books` push: `arg`, `action`, `data[0]`. */
type FloorFrame =
  | { readonly data?: { readonly s: string; readonly u: number } }
  | { readonly code?: string; readonly timestamp?: number }
  | {
      readonly arg?: { readonly instId: string };
      readonly action?: string;
      readonly data?: ReadonlyArray<{ readonly seqId: number }>;
    };

function url(config: ClientConfig): string {
  if (config.exchange === 'binance')
    return `${config.wsUrl}/stream?streams=${config.symbols.map((s) => `${s.toLowerCase()}@depth@100ms`).join('/')}`;
  if (config.exchange === 'upbit') return `${config.wsUrl}/websocket/v1`;
  return `${config.wsUrl}/ws/v5/public`;
}

/** Records the id of a parsed frame: Binance `u`, Upbit `timestamp`, OKX `seqId`. */
function recordFrame(config: ClientConfig, recorder: Recorder, frame: FloorFrame): void {
  if (config.exchange === 'binance') {
    const { data } = frame as { data?: { s: string; u: number } };
    if (data !== undefined) recorder.record(data.s, data.u);
  } else if (config.exchange === 'upbit') {
    const { code, timestamp } = frame as { code?: string; timestamp?: number };
    if (code !== undefined && timestamp !== undefined) recorder.record(code, timestamp);
  } else {
    const { arg, action, data } = frame as {
      arg?: { instId: string };
      action?: string;
      data?: { seqId: number }[];
    };
    if (action !== undefined && arg !== undefined && data?.[0] !== undefined)
      recorder.record(arg.instId, data[0].seqId);
  }
}

/**
 * The floor: a bare `ws` socket and JSON.parse of every frame, nothing else (no book, no checks).
 * Binance: one combined-stream connection for every symbol's @depth@100ms; Upbit: one connection
 * with one orderbook subscription for every code; OKX: one connection, one `books` subscribe for
 * every instrument, and the text `ping` OKX needs to keep it open.
 */
export const startFloor: ClientFactory = async (config: ClientConfig, recorder: Recorder) => {
  const okx = config.exchange === 'okx';
  const ws = new WebSocket(url(config), { perMessageDeflate: false });
  let frames = 0;
  ws.on('message', (data: Buffer) => {
    frames++;
    // OKX answers the text ping with a bare `pong`, which is not JSON.
    if (okx && data.length === 4 && data.toString() === 'pong') return;
    recordFrame(config, recorder, JSON.parse(data.toString()) as FloorFrame);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  if (config.exchange === 'upbit') {
    ws.send(
      JSON.stringify([
        { ticket: 'bench-floor' },
        { type: 'orderbook', codes: config.symbols },
        { format: 'DEFAULT' },
      ]),
    );
  }
  let keepalive: NodeJS.Timeout | undefined;
  if (okx) {
    ws.send(
      JSON.stringify({
        op: 'subscribe',
        args: config.symbols.map((instId) => ({ channel: 'books', instId })),
      }),
    );
    keepalive = setInterval(() => ws.send('ping'), OKX_PING_MS);
  }
  const client: RunningClient = {
    books: () => undefined,
    notes: () => ({ implementation: 'ws + JSON.parse', frames }),
    close: async () => {
      clearInterval(keepalive);
      ws.close();
      if (ws.readyState !== WebSocket.CLOSED) await new Promise((resolve) => ws.once('close', resolve));
    },
  };
  return client;
};
