import type { ArbitrageError, MarketInfo } from '@arbitrage/core';
import { waitFor } from '@arbitrage/test-support';
import { createOkxExchange, type OkxExchange, type OkxStreamDefaults } from '../../src/exchange.js';
import type { OkxOrderBookStream } from '../../src/order-book-stream.js';
import { fallbackMarkets } from '../../src/symbols.js';
import { type OkxServer, type OkxServerOptions, startOkxServer } from './okx-server.js';

export interface StreamHarness {
  readonly server: OkxServer;
  readonly exchange: OkxExchange;
  readonly stream: OkxOrderBookStream;
  readonly errors: ArbitrageError[];
  /** Waits until every symbol (default all) is live. */
  live(symbols?: readonly string[]): Promise<void>;
  /** Waits until the client has received `count` frames in all. */
  received(count: number): Promise<void>;
  stop(): Promise<void>;
}

/** A stream of a fresh plugin against a fresh scripted OKX server. */
export async function streamHarness(
  symbols: readonly string[],
  options: { server?: OkxServerOptions; stream?: OkxStreamDefaults; markets?: MarketInfo[] } = {},
): Promise<StreamHarness> {
  const server = await startOkxServer(options.server);
  const exchange = createOkxExchange({
    restUrl: server.restUrl,
    wsUrl: server.wsUrl,
    markets: options.markets ?? fallbackMarkets(),
    snapshots: { minIntervalMs: 0 },
  });
  const stream = exchange.createOrderBookStream({
    symbols,
    sync: { snapshotBackoff: { baseMs: 20, capMs: 100, jitter: 0 } },
    subscribeIntervalMs: 10,
    ...options.stream,
  });
  const errors: ArbitrageError[] = [];
  stream.onError((error) => errors.push(error));
  return {
    server,
    exchange,
    stream,
    errors,
    live: async (which = symbols) => {
      await waitFor(
        () => which.every((symbol) => stream.status(symbol)?.state === 'live'),
        () =>
          `live: ${which.map((s) => `${s} ${stream.status(s)?.state} (${stream.status(s)?.reason})`).join(', ')}`,
      );
    },
    received: async (count) => {
      await waitFor(() => stream.connectionCounters.messages >= count, `${count} frames received`);
    },
    stop: async () => {
      await stream.stop();
      await exchange.close();
      await server.close();
    },
  };
}
