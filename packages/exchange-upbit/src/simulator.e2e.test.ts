import type { ArbitrageError } from '@arbitrage/core';
import { MALFORMED_KINDS, type Simulator, startSimulator } from '@arbitrage/simulator';
import { waitFor } from '@arbitrage/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { createUpbitExchange, type UpbitExchange } from './exchange.js';
import type { UpbitOrderBookStream } from './order-book-stream.js';

/** Test-scale timings from docs/faults.md: P = 100 ms, D = 300 ms, F = 200 ms, B = 20 ms, C = 500 ms. */
const STREAM = {
  keepalive: { intervalMs: 100, timeoutMs: 300 },
  staleAfterMs: 200,
  subscribeTimeoutMs: 400,
  minResubscribeIntervalMs: 20,
  backoff: { baseMs: 20, capMs: 500 },
  minConnectIntervalMs: 0,
} as const;
const SYMBOLS = ['BTC/KRW', 'ETH/KRW', 'XRP/KRW'];

let sim: Simulator | undefined;
let exchange: UpbitExchange | undefined;

afterEach(async () => {
  await exchange?.close();
  exchange = undefined;
  await sim?.stop();
  sim = undefined;
});

async function setup(
  streamOptions: Record<string, unknown> = {},
  upbit: Record<string, number> = {},
  symbols = SYMBOLS,
): Promise<{ sim: Simulator; stream: UpbitOrderBookStream }> {
  sim = await startSimulator({
    upbit: { updatesPerSecond: 20, idleTimeoutMs: 600, statusIntervalMs: 100, ...upbit },
  });
  exchange = createUpbitExchange({
    restUrl: sim.upbit.restUrl,
    wsUrl: sim.upbit.wsUrl,
    stream: { ...STREAM },
  });
  await exchange.loadMarkets();
  const stream = exchange.createOrderBookStream({ symbols, ...streamOptions });
  await stream.start();
  return { sim, stream };
}

function allLive(stream: UpbitOrderBookStream, symbols = SYMBOLS): boolean {
  return symbols.every((symbol) => stream.status(symbol)?.state === 'live');
}

/** Pauses the market, waits for every local book to reach the true book's timestamp, compares levels. */
async function expectTrueBooks(
  sim: Simulator,
  stream: UpbitOrderBookStream,
  symbols = SYMBOLS,
): Promise<void> {
  sim.market.pause();
  const codes = symbols.map((symbol) => exchange!.symbols.toNative(symbol));
  await waitFor(
    () =>
      codes.every((code, i) => {
        const book = stream.book(symbols[i]!);
        return (
          stream.status(symbols[i]!)?.state === 'live' &&
          book?.exchangeTime === sim.market.upbitBook(code).timestamp
        );
      }),
    5_000,
    'every local book at the true book timestamp',
  );
  for (let i = 0; i < codes.length; i++) {
    const truth = sim.market.upbitBook(codes[i]!);
    const local = stream.book(symbols[i]!)!;
    expect(local.book.top('bid', 30)).toEqual(truth.bids);
    expect(local.book.top('ask', 30)).toEqual(truth.asks);
  }
}

describe('Upbit plugin against the simulator', () => {
  it('loads markets and keeps books equal to the true books (WS and REST)', async () => {
    const { sim, stream } = await setup();
    expect(exchange!.marketsSource).toBe('exchange');
    await waitFor(() => allLive(stream), 3_000, 'all live');
    await waitFor(() => stream.counters('BTC/KRW')!.updates >= 10, 3_000, 'updates flowing');
    await expectTrueBooks(sim, stream);
    const rest = await exchange!.rest().fetchOrderBooks(SYMBOLS);
    for (const book of rest) {
      const truth = sim.market.upbitBook(book.nativeSymbol);
      expect(book.source).toBe('rest');
      expect(book.bids).toEqual(truth.bids);
      expect(book.asks).toEqual(truth.asks);
      expect(book.exchangeTime).toBe(truth.timestamp);
    }
    expect(stream.stats.invalidMessages).toBe(0);
  });

  it('reconnects after drops with exactly one subscription per connection', async () => {
    const { sim, stream } = await setup({ staleAfterMs: 10_000 });
    for (let drop = 1; drop <= 3; drop++) {
      await waitFor(() => allLive(stream), 3_000, `live before drop ${drop}`);
      expect(sim.faults.dropConnections('upbit')).toBe(1);
      await waitFor(() => stream.socketCounters.opens === drop + 1, 3_000, `reconnect ${drop}`);
    }
    await waitFor(() => allLive(stream), 3_000, 'live after the last drop');
    // One request per connection went out: no resubscribe, no duplicate replay.
    expect(stream.stats.resubscribes).toBe(0);
    expect(stream.socketCounters.sent).toBe(4);
    const connections = sim.connections('upbit');
    expect(connections).toHaveLength(1);
    expect([...connections[0]!.subscriptions].sort()).toEqual(['KRW-BTC', 'KRW-ETH', 'KRW-XRP']);
    await expectTrueBooks(sim, stream);
  });

  // staleAfterMs is long in these three so that no resubscribe (client traffic) keeps the socket busy.
  it('keeps the connection past the idle timeout with ping frames, with no market data at all (fault 24)', async () => {
    const { sim, stream } = await setup({ staleAfterMs: 10_000 });
    await waitFor(() => allLive(stream), 3_000, 'all live');
    sim.faults.stallStream('upbit');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(stream.socketCounters.opens).toBe(1);
    expect(stream.socketCounters.reconnects).toBe(0);
    expect(stream.stats.resubscribes).toBe(0);
  });

  it('keeps it with text PING too ({"status":"UP"} every statusIntervalMs)', async () => {
    const { sim, stream } = await setup({
      staleAfterMs: 10_000,
      keepalive: { mode: 'text', intervalMs: 100, timeoutMs: 300 },
    });
    await waitFor(() => allLive(stream), 3_000, 'all live');
    sim.faults.stallStream('upbit');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(stream.socketCounters.opens).toBe(1);
    expect(stream.socketCounters.heartbeatReplies).toBeGreaterThanOrEqual(5);
  });

  it('without keepalive the idle close does fire, and the stream reconnects', async () => {
    const { sim, stream } = await setup({ staleAfterMs: 10_000, keepalive: false });
    await waitFor(() => allLive(stream), 3_000, 'all live');
    sim.faults.stallStream('upbit');
    await waitFor(() => stream.socketCounters.opens >= 2, 3_000, 'reconnect after the idle close');
    await waitFor(() => allLive(stream), 3_000, 'live again on the new connection');
  });

  it('marks a code the exchange never answers as failed; the others stay live', async () => {
    sim = await startSimulator({ upbit: { updatesPerSecond: 20 } });
    // The built-in market list knows SOL; this simulator does not list it.
    exchange = createUpbitExchange({
      restUrl: sim.upbit.restUrl,
      wsUrl: sim.upbit.wsUrl,
      stream: { ...STREAM },
    });
    const stream = exchange.createOrderBookStream({ symbols: ['BTC/KRW', 'SOL/KRW'] });
    await stream.start();
    await waitFor(() => stream.status('SOL/KRW')?.state === 'failed', 3_000, 'SOL failed');
    expect(stream.status('SOL/KRW')!.reason).toContain('KRW-SOL');
    expect(stream.status('BTC/KRW')!.state).toBe('live');
  });

  it('a stalled symbol goes stale while the others stay live, and recovers when data resumes (fault 5)', async () => {
    const { sim, stream } = await setup();
    await waitFor(() => allLive(stream), 3_000, 'all live');
    const stall = sim.faults.stallStream('upbit', { symbol: 'KRW-ETH' });
    await waitFor(() => stream.status('ETH/KRW')?.state === 'stale', 3_000, 'ETH stale');
    await waitFor(() => stream.stats.resubscribes >= 1, 3_000, 'a resubscribe');
    expect(stream.status('BTC/KRW')!.state).toBe('live');
    expect(stream.status('XRP/KRW')!.state).toBe('live');
    expect(stream.socketCounters.opens).toBe(1);
    stall.clear();
    await waitFor(() => stream.status('ETH/KRW')?.state === 'live', 3_000, 'ETH live again');
    await expectTrueBooks(sim, stream);
  });

  it('drops an older frame and counts it, never regressing the book (fault 25)', async () => {
    const { sim, stream } = await setup({ staleAfterMs: 10_000 });
    await waitFor(() => allLive(stream) && stream.counters('BTC/KRW')!.updates >= 3, 3_000, 'updates');
    sim.market.pause();
    const truth = sim.market.upbitBook('KRW-BTC');
    await waitFor(() => stream.book('BTC/KRW')!.exchangeTime === truth.timestamp);
    expect(sim.faults.sendOlderFrame('KRW-BTC')).toBe(1);
    await waitFor(() => stream.counters('BTC/KRW')!.droppedStale === 1);
    expect(stream.book('BTC/KRW')!.exchangeTime).toBe(truth.timestamp);
    expect(stream.book('BTC/KRW')!.book.top('bid', 30)).toEqual(truth.bids);
  });

  it('survives every malformed frame kind without applying any (fault 27)', async () => {
    const { sim, stream } = await setup({ staleAfterMs: 10_000 });
    const errors: ArbitrageError[] = [];
    stream.onError((error) => errors.push(error));
    await waitFor(() => allLive(stream), 3_000, 'all live');
    for (const kind of MALFORMED_KINDS) sim.faults.sendMalformed('upbit', kind, { symbol: 'KRW-BTC' });
    await waitFor(() => stream.stats.invalidMessages === MALFORMED_KINDS.length, 3_000, 'all counted');
    expect(errors.filter((error) => error.code === 'MESSAGE_INVALID')).toHaveLength(MALFORMED_KINDS.length);
    expect(stream.socketCounters.opens).toBe(1);
    await expectTrueBooks(sim, stream);
  });

  it('rejects a crossed frame and heals from the resubscribe snapshot; a persistently crossed book fails (fault 26)', async () => {
    const { sim, stream } = await setup({ staleAfterMs: 10_000 });
    await waitFor(() => allLive(stream), 3_000, 'all live');
    sim.faults.crossBook('upbit', 'KRW-BTC');
    await waitFor(() => stream.counters('BTC/KRW')!.crossed === 1, 3_000, 'crossed seen');
    await waitFor(() => stream.status('BTC/KRW')?.state === 'live', 3_000, 'healed');
    const persistent = sim.faults.crossBook('upbit', 'KRW-ETH', { persist: true });
    await waitFor(() => stream.status('ETH/KRW')?.state === 'failed', 3_000, 'ETH halted');
    expect(stream.status('ETH/KRW')!.reason).toMatch(/crossed books persist/);
    expect(stream.book('ETH/KRW')!.book.isCrossed()).toBe(false);
    persistent.clear();
    await waitFor(
      () => stream.status('ETH/KRW')?.state === 'live',
      3_000,
      'ETH live after the cross is gone',
    );
    await expectTrueBooks(sim, stream);
  });
});
