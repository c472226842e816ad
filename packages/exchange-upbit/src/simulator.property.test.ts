import { MALFORMED_KINDS, type MalformedKind, type Simulator, startSimulator } from '@arbitrage/simulator';
import { waitFor } from '@arbitrage/test-support';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpbitExchange, type UpbitExchange } from './exchange.js';
import type { UpbitOrderBookStream } from './order-book-stream.js';

/**
 * Property: after any sequence of simulator updates and faults, once the stream reports every symbol
 * live again and has caught up, each local book equals the simulator's true book.
 */

const CODES = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP'];
const SYMBOLS = ['BTC/KRW', 'ETH/KRW', 'XRP/KRW'];

type Command =
  | { readonly kind: 'step'; readonly count: number }
  | { readonly kind: 'drop' }
  | { readonly kind: 'skip' | 'duplicate' | 'reorder' | 'older' | 'cross' | 'stall'; readonly code: string }
  | { readonly kind: 'malformed'; readonly malformed: MalformedKind; readonly code: string };

const code = fc.constantFrom(...CODES);
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 4 }).map((count) => ({ kind: 'step', count }) as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'drop' } as const) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom('skip', 'duplicate', 'reorder', 'older', 'cross', 'stall'), code)
      .map(([kind, code]) => ({ kind, code }) as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...MALFORMED_KINDS), code)
      .map(([malformed, code]) => ({ kind: 'malformed', malformed, code }) as const),
  },
);

let sim: Simulator;
let exchange: UpbitExchange;
let stream: UpbitOrderBookStream;

beforeAll(async () => {
  sim = await startSimulator({ autoStart: false, upbit: { idleTimeoutMs: 600, statusIntervalMs: 100 } });
  exchange = createUpbitExchange({
    restUrl: sim.upbit.restUrl,
    wsUrl: sim.upbit.wsUrl,
    stream: {
      keepalive: { intervalMs: 100, timeoutMs: 300 },
      staleAfterMs: 10_000,
      subscribeTimeoutMs: 400,
      minResubscribeIntervalMs: 20,
      backoff: { baseMs: 20, capMs: 200 },
      minConnectIntervalMs: 0,
    },
  });
  await exchange.loadMarkets();
  stream = exchange.createOrderBookStream({ symbols: SYMBOLS });
  await stream.start();
});

afterAll(async () => {
  await exchange.close();
  await sim.stop();
});

function run(commands: readonly Command[]): void {
  for (const c of commands) {
    switch (c.kind) {
      case 'step':
        sim.market.stepUpbit(c.count, CODES);
        break;
      case 'drop':
        sim.faults.dropConnections('upbit');
        break;
      case 'skip':
        sim.faults.skipUpdates('upbit', c.code);
        break;
      case 'duplicate':
        sim.faults.duplicateMessages('upbit', c.code);
        break;
      case 'reorder':
        sim.faults.reorderMessages('upbit', c.code);
        break;
      case 'older':
        sim.faults.sendOlderFrame(c.code);
        break;
      case 'cross':
        sim.faults.crossBook('upbit', c.code);
        break;
      case 'stall':
        sim.faults.stallStream('upbit', { symbol: c.code });
        break;
      case 'malformed':
        sim.faults.sendMalformed('upbit', c.malformed, { symbol: c.code });
        break;
    }
  }
}

describe('Upbit stream against the simulator (property)', () => {
  it('converges to the true books after any updates and faults', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 12 }), async (commands) => {
        run(commands);
        // Let the faults play out, then end them and publish one more book per market.
        await new Promise((resolve) => setTimeout(resolve, 20));
        sim.faults.clear();
        await waitFor(() => sim.connections('upbit').length === 1, 3_000, 'one connection');
        sim.market.stepUpbit(1, CODES);
        await waitFor(
          () =>
            CODES.every((c, i) => {
              const book = stream.book(SYMBOLS[i]!);
              return (
                stream.status(SYMBOLS[i]!)?.state === 'live' &&
                book?.exchangeTime === sim.market.upbitBook(c).timestamp
              );
            }),
          4_000,
          `live and caught up after ${JSON.stringify(commands)}`,
        );
        for (let i = 0; i < CODES.length; i++) {
          const truth = sim.market.upbitBook(CODES[i]!);
          const local = stream.book(SYMBOLS[i]!)!.book;
          expect(local.top('bid', 30)).toEqual(truth.bids);
          expect(local.top('ask', 30)).toEqual(truth.asks);
        }
      }),
      { numRuns: 25 },
    );
    expect(stream.stats.books).toBeGreaterThan(25);
  });
});
