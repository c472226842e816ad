/**
 * See the client keep a connection alive: `pnpm demo` from the repo root, or `pnpm demo --duration 5s`
 * (here: `pnpm --filter @arbitrage/ws-client demo`). Not part of the package: it builds to `.demo/`.
 *
 * Starts a local ticker server on 127.0.0.1 that streams prices and, every couple of seconds,
 * misbehaves: closes with 1000, drops the TCP connection, goes silent (answers pings but sends no
 * data), or stops answering altogether. A small client subclass rides through all of it, and the
 * demo prints what happened and the client's counters, then disconnects cleanly and exits 0.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { BaseWebSocketClient, type MessageMeta } from '@arbitrage/ws-client';
import WebSocket, { WebSocketServer } from 'ws';

const startedAt = Date.now();
const SYMBOLS = ['BTC/KRW', 'ETH/KRW', 'XRP/KRW'] as const;
const FAULTS = ['close 1000', 'terminate (1006)', 'go silent (pongs only)', 'stop answering'] as const;
type Fault = (typeof FAULTS)[number];

function log(kind: string, text: string): void {
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(2).padStart(6);
  console.log(`[${seconds}s] ${kind.padEnd(9)} ${text}`);
}

function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new Error(`--duration "${text}" is not a duration; use e.g. 5s, 1500ms or 1m`);
  const value = Number(match[1]);
  const unit = match[2] ?? 's';
  return Math.round(unit === 'ms' ? value : unit === 'm' ? value * 60_000 : value * 1_000);
}

// ------------------------------------------------------------------ the misbehaving server

interface Ticker {
  readonly type: 'ticker';
  readonly symbol: string;
  readonly price: number;
  readonly ts: number;
}

async function startTickerServer(faultEveryMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  const prices = new Map<string, number>([
    ['BTC/KRW', 143_000_000],
    ['ETH/KRW', 5_200_000],
    ['XRP/KRW', 3_100],
  ]);
  let current: { socket: WebSocket; silent: boolean } | undefined;

  wss.on('connection', (socket) => {
    const connection = { socket, silent: false };
    current = connection;
    socket.on('error', () => {});
    socket.on('message', (data) => {
      let request: unknown;
      try {
        request = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (typeof request !== 'object' || request === null) return;
      const topics = (request as { topics?: unknown }).topics;
      if (Array.isArray(topics)) log('server', `subscription received: ${topics.join(', ')}`);
    });
    const stream = setInterval(() => {
      if (connection.silent || socket.readyState !== WebSocket.OPEN) return;
      for (const symbol of SYMBOLS) {
        const last = prices.get(symbol)!;
        const next = Math.max(1, Math.round(last * (1 + (Math.random() - 0.5) / 500)));
        prices.set(symbol, next);
        const ticker: Ticker = { type: 'ticker', symbol, price: next, ts: Date.now() };
        socket.send(JSON.stringify(ticker));
      }
    }, 250);
    socket.on('close', () => clearInterval(stream));
  });

  let faultIndex = 0;
  const faults = setInterval(() => {
    const target = current;
    if (!target || target.socket.readyState !== WebSocket.OPEN) return;
    const fault: Fault = FAULTS[faultIndex++ % FAULTS.length]!;
    log('server', `injecting fault: ${fault}`);
    switch (fault) {
      case 'close 1000':
        target.socket.close(1000, 'maintenance');
        break;
      case 'terminate (1006)':
        target.socket.terminate();
        break;
      case 'go silent (pongs only)':
        target.silent = true;
        break;
      case 'stop answering':
        // Pause reading: no pongs, no data, the TCP connection stays open (a half-open link).
        target.silent = true;
        target.socket.pause();
        break;
    }
  }, faultEveryMs);

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/tickers`,
    async close() {
      clearInterval(faults);
      for (const client of wss.clients) client.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

// ------------------------------------------------------------------ the client: this is all an adapter writes

class TickerClient extends BaseWebSocketClient {
  readonly last = new Map<string, number>();
  tickers = 0;

  protected subscribeMessages(topics: readonly string[]): unknown[] {
    return [{ op: 'subscribe', topics }];
  }

  protected unsubscribeMessages(topics: readonly string[]): unknown[] {
    return [{ op: 'unsubscribe', topics }];
  }

  protected onMessage(message: unknown, _meta: MessageMeta): void {
    if (typeof message !== 'object' || message === null) return;
    const { type, symbol, price } = message as Partial<Ticker>;
    if (type !== 'ticker' || typeof symbol !== 'string' || typeof price !== 'number' || !(price > 0)) {
      this.raiseProtocolError(`unexpected message ${JSON.stringify(message).slice(0, 80)}`, {
        kind: 'parse',
      });
      return;
    }
    this.tickers++;
    this.last.set(symbol, price);
  }
}

// ------------------------------------------------------------------ run

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { duration: { type: 'string', default: '10s' } } });
  const durationMs = parseDuration(values.duration);
  const server = await startTickerServer(Math.max(1_000, Math.min(2_000, durationMs / 5)));
  log('demo', `ticker server on ${server.url}; running for ${durationMs / 1000}s`);

  const client = new TickerClient({
    url: server.url,
    name: 'demo',
    // A dead link is caught by the heartbeat (<= 0.9 s), a silent feed by staleness (1.5 s).
    heartbeat: { intervalMs: 300, timeoutMs: 600 },
    staleAfterMs: 1_500,
    backoff: { baseMs: 200, capMs: 2_000 },
    minConnectIntervalMs: 200,
    connectTimeoutMs: 2_000,
    closeTimeoutMs: 500,
  });
  client.on('state', ({ previous, state, reason }) => log('state', `${previous} → ${state} (${reason})`));
  client.on('open', ({ generation, attempt }) =>
    log('open', `connection #${generation} open (attempt ${attempt})`),
  );
  client.on('close', ({ generation, code, reason }) =>
    log('close', `connection #${generation} closed: code ${code}${reason ? ` "${reason}"` : ''}`),
  );
  client.on('error', (error) => log('error', `${error.code}: ${error.message}`));
  client.on('reconnect', ({ attempt, delayMs }) => log('reconnect', `attempt ${attempt} in ${delayMs} ms`));

  client.subscribe([...SYMBOLS]);
  await client.connect();

  let lastCount = 0;
  const report = setInterval(() => {
    const prices = SYMBOLS.map(
      (symbol) => `${symbol} ${client.last.get(symbol)?.toLocaleString('en-US') ?? '-'}`,
    );
    log('data', `${client.tickers - lastCount} tickers/s  ${prices.join('  ')}`);
    lastCount = client.tickers;
  }, 1_000);

  const stop = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, durationMs);
    process.once('SIGINT', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  await stop;
  clearInterval(report);
  log('demo', 'disconnecting');
  await client.disconnect();
  await server.close();

  const c = client.counters;
  console.log('\ncounters');
  const rows: Array<[string, string | number]> = [
    ['state', c.state],
    ['connections opened', c.opens],
    ['reconnects', c.reconnects],
    ['messages', c.messages],
    ['data messages', c.dataMessages],
    ['bytes', c.bytes],
    ['parse errors', c.parseErrors],
    ['heartbeat timeouts', c.heartbeatTimeouts],
    ['stale timeouts', c.staleTimeouts],
    ['messages sent', c.sent],
  ];
  for (const [name, value] of rows) console.log(`  ${name.padEnd(20)} ${value}`);
  // Nothing should keep the process alive now; if something does, say so instead of hanging.
  setTimeout(() => {
    console.error('demo: something is still holding the event loop open after disconnect()');
    process.exit(1);
  }, 3_000).unref();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
