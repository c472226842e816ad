import type { InstrumentState, InstrumentStateChange } from '@arbitrage/core';
import { type Simulator, type SimulatorOptions, startSimulator } from '@arbitrage/simulator';
import { sleep, waitFor } from '@arbitrage/test-support';
import { type BinanceExchange, type BinanceExchangeOptions, createBinanceExchange } from '../exchange.js';
import type { BinanceOrderBookStream } from '../order-book-stream.js';

/** Test-scale timings (docs/faults.md): freshness F = 200 ms, backoff base 20 ms, cap 500 ms. */
export const TEST_TIMINGS = {
  staleAfterMs: 200,
  connection: {
    backoff: { baseMs: 20, capMs: 500 },
    minConnectIntervalMs: 0,
    // Binance counts pings toward its 5 messages/s: 100 ms (P at test scale) would break it.
    heartbeat: { intervalMs: 400, timeoutMs: 1_200 },
    subscribeIntervalMs: 20,
    ackTimeoutMs: 1_000,
    subscribeBackoff: { baseMs: 50, capMs: 500 },
    closeTimeoutMs: 200,
  },
  sync: {
    snapshotBackoff: { baseMs: 20, capMs: 500 },
    maxSnapshotAttempts: 5,
    haltRetryBaseMs: 100,
    haltRetryCapMs: 500,
  },
} as const;

export interface SimHarness {
  readonly sim: Simulator;
  readonly exchange: BinanceExchange;
  readonly stream: BinanceOrderBookStream;
  readonly changes: InstrumentStateChange[];
  /** Steps every Binance book every `everyMs` until stopped (the market is otherwise paused). */
  drive(everyMs?: number): void;
  pauseDriving(): void;
  waitLive(symbols?: readonly string[], timeoutMs?: number): Promise<void>;
  /** Pauses the market, waits for the local book to reach the true book's id, and compares them. */
  expectBooksEqual(symbol: string): Promise<{ local: unknown; truth: unknown }>;
  stop(): Promise<void>;
}

const NATIVE: Record<string, string> = {};

export async function simHarness(
  symbols: readonly string[],
  options: {
    sim?: SimulatorOptions;
    exchange?: Partial<BinanceExchangeOptions>;
    stream?: Record<string, unknown>;
  } = {},
): Promise<SimHarness> {
  const sim = await startSimulator({
    autoStart: false,
    assets: ['BTC', 'ETH', 'XRP', 'SOL', 'DOGE'],
    sendTimeCapacity: 0,
    ...options.sim,
    binance: { depthLevels: 100, updatesPerSecond: 10, ...options.sim?.binance },
  });
  const exchange = createBinanceExchange({
    restUrl: sim.binance.restUrl,
    wsUrl: sim.binance.wsUrl,
    restTimeoutMs: 500,
    snapshots: { minIntervalMs: 0, maxConcurrent: 2, taskTimeoutMs: 2_000 },
    rest: { retryBaseMs: 10, retryCapMs: 50 },
    ...options.exchange,
  });
  await exchange.loadMarkets();
  const stream = exchange.createOrderBookStream({
    symbols,
    snapshotLimit: 1000,
    ...TEST_TIMINGS,
    ...options.stream,
  });
  const changes: InstrumentStateChange[] = [];
  stream.onStateChange((change) => changes.push(change));
  const closeCodes: number[] = [];
  stream.onError((error) => {
    const code = (error as { closeCode?: unknown }).closeCode;
    if (typeof code === 'number') closeCodes.push(code);
  });
  let driver: ReturnType<typeof setInterval> | undefined;
  const harness: SimHarness = {
    sim,
    exchange,
    stream,
    changes,
    drive(everyMs = 10) {
      if (driver) return;
      driver = setInterval(() => sim.market.stepBinance(1), everyMs);
    },
    pauseDriving() {
      if (driver) clearInterval(driver);
      driver = undefined;
    },
    async waitLive(which = symbols, timeoutMs = 5_000) {
      await waitFor(
        () => which.every((symbol) => stream.status(symbol)?.state === 'live'),
        timeoutMs,
        `live: ${which.map((s) => `${s}=${stream.status(s)?.state}(${stream.status(s)?.reason ?? ''})`).join(', ')}`,
      );
    },
    async expectBooksEqual(symbol) {
      harness.pauseDriving();
      const native = NATIVE[symbol] ?? symbol.replace('/', '');
      const truth = sim.market.binanceBook(native);
      await waitFor(
        () => stream.status(symbol)?.state === 'live' && stream.book(symbol)?.sequence === truth.lastUpdateId,
        5_000,
        `${symbol} at ${truth.lastUpdateId} (local ${stream.book(symbol)?.sequence}, ${stream.status(symbol)?.state})`,
      );
      const book = stream.book(symbol)!.book;
      return {
        local: { bids: book.top('bid', 10_000), asks: book.top('ask', 10_000) },
        truth: { bids: truth.bids, asks: truth.asks },
      };
    },
    async stop() {
      harness.pauseDriving();
      await exchange.close();
      await sim.stop();
      // Our pacing must never have tripped Binance's 5 messages/s limit.
      if (closeCodes.includes(1008))
        throw new Error('the simulator closed a connection with 1008 (too many messages)');
    },
  };
  return harness;
}

export function statesOf(changes: readonly InstrumentStateChange[], symbol: string): InstrumentState[] {
  return changes.filter((change) => change.symbol === symbol).map((change) => change.state);
}

export { sleep, waitFor };
