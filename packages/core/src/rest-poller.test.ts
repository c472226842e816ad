import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { type ArbitrageError, ConfigError, RateLimitError } from './errors.js';
import type { Logger } from './logger.js';
import { RestPoller } from './rest-poller.js';
import { fakePlugin, snapshotOf } from './test-support/fake-plugin.js';
import type { OrderBookSnapshot } from './types.js';

function capturingLogger(): { logger: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: (_fields, message) => warnings.push(message ?? ''),
    error: () => {},
    child: () => logger,
  };
  return { logger, warnings };
}

const pairs = Array.from({ length: 250 }, (_, i) => [`S${i}USDT`, `S${i}/USDT`] as const);
const symbols = pairs.map(([, symbol]) => symbol);

function setup(
  limits: { maxSymbolsPerRequest: number; orderBookRequestsPerSecond: number },
  intervalMs: number,
  maxInFlight = 4,
) {
  const clock = new ManualClock(0);
  const { plugin, calls } = fakePlugin('ex', pairs, limits, () => clock.now());
  const { logger, warnings } = capturingLogger();
  const received: OrderBookSnapshot[] = [];
  const errors: Array<{ error: ArbitrageError; symbols: readonly string[] }> = [];
  const poller = new RestPoller({
    plugin,
    intervalMs,
    depth: 10,
    maxInFlight,
    clock,
    logger,
    onSnapshots: (snapshots) => received.push(...snapshots),
    onError: (error, batch) => errors.push({ error, symbols: batch }),
  });
  return { clock, calls, poller, warnings, received, errors };
}

describe('RestPoller', () => {
  it('batches by maxSymbolsPerRequest and spreads the batches evenly over the interval', async () => {
    const { clock, calls, poller, warnings } = setup(
      { maxSymbolsPerRequest: 100, orderBookRequestsPerSecond: 8 },
      1000,
    );
    poller.setSymbols(symbols);
    poller.start();
    await clock.advanceAsync(999);
    // 250 symbols -> 3 requests per cycle, 333 ms apart, starting at once.
    expect(calls.map((c) => c.symbols.length)).toEqual([100, 100, 50]);
    expect(calls.map((c) => Math.round(c.at))).toEqual([0, 333, 667]);
    expect(calls[0]!.options?.depth).toBe(10);
    expect(poller.effectiveIntervalMs).toBe(1000);
    expect(warnings).toEqual([]);
    for (const call of calls) call.resolve([]);
    await poller.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('stretches the interval to the rate limit and says so once', async () => {
    const { clock, calls, poller, warnings } = setup(
      { maxSymbolsPerRequest: 1, orderBookRequestsPerSecond: 10 },
      1000,
      100,
    );
    poller.setSymbols(symbols.slice(0, 30));
    poller.start();
    await clock.advanceAsync(2999);
    // 30 requests at 10/s: one every 100 ms, each symbol every 3000 ms.
    expect(poller.effectiveIntervalMs).toBe(3000);
    expect(calls).toHaveLength(30);
    for (let i = 1; i < calls.length; i++)
      expect(calls[i]!.at - calls[i - 1]!.at).toBeGreaterThanOrEqual(100);
    expect(new Set(calls.map((c) => c.symbols[0])).size).toBe(30);
    poller.add(symbols[40]!);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('each symbol is polled every 3000 ms instead');
    for (const call of calls) call.resolve([]);
    await poller.stop();
  });

  it('polls an added symbol at the next turn the rate allows', async () => {
    const { clock, calls, poller } = setup({ maxSymbolsPerRequest: 1, orderBookRequestsPerSecond: 10 }, 1000);
    poller.start();
    await clock.advanceAsync(500);
    expect(calls).toHaveLength(0);
    poller.add('S1/USDT');
    await clock.advanceAsync(0);
    expect(calls.map((c) => [c.symbols[0], c.at])).toEqual([['S1/USDT', 500]]);
    poller.add('S2/USDT');
    await clock.advanceAsync(100);
    expect(calls.map((c) => [c.symbols[0], c.at])).toEqual([
      ['S1/USDT', 500],
      ['S2/USDT', 600],
    ]);
    poller.remove('S1/USDT');
    poller.remove('S2/USDT');
    await clock.advanceAsync(5000);
    expect(calls).toHaveLength(2);
    await poller.stop();
  });

  it('delivers books of symbols still polled and reports failures with the batch', async () => {
    const { clock, calls, poller, received, errors } = setup(
      { maxSymbolsPerRequest: 2, orderBookRequestsPerSecond: 10 },
      1000,
    );
    poller.setSymbols(['S1/USDT', 'S2/USDT']);
    poller.start();
    await clock.advanceAsync(0);
    poller.remove('S2/USDT');
    calls[0]!.resolve([
      snapshotOf('ex', 'S1/USDT', { exchangeTime: 1, receivedAt: 1 }),
      snapshotOf('ex', 'S2/USDT', { exchangeTime: 1, receivedAt: 1 }),
    ]);
    await clock.advanceAsync(1000);
    expect(received.map((s) => s.symbol)).toEqual(['S1/USDT']);
    expect(errors).toHaveLength(0);
    calls[1]!.resolve([snapshotOf('ex', 'S1/USDT', { exchangeTime: 1, receivedAt: 1 })]);
    poller.add('S3/USDT');
    await clock.advanceAsync(100);
    const both = calls[calls.length - 1]!;
    expect(both.symbols).toEqual(['S1/USDT', 'S3/USDT']);
    // A symbol asked for and left out of the answer (Upbit skips unknown markets) is a failure.
    both.resolve([snapshotOf('ex', 'S1/USDT', { exchangeTime: 2, receivedAt: 2 })]);
    await clock.advanceAsync(0);
    expect(errors.map((e) => [e.error.code, e.symbols, e.error.message])).toEqual([
      ['BOOK_MISSING', ['S3/USDT'], expect.any(String)],
    ]);
    expect(errors[0]!.error.message).toMatch(/check that the exchange lists the market/);
    errors.length = 0;
    poller.remove('S3/USDT');
    await clock.advanceAsync(1000);
    calls[calls.length - 1]!.reject(new Error('socket hang up'));
    await clock.advanceAsync(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error.code).toBe('NETWORK');
    expect(errors[0]!.error.message).toContain('socket hang up');
    expect(errors[0]!.symbols).toEqual(['S1/USDT']);
    await poller.stop();
  });

  it('makes no request while a 429 Retry-After runs', async () => {
    const { clock, calls, poller, errors } = setup(
      { maxSymbolsPerRequest: 1, orderBookRequestsPerSecond: 10 },
      100,
    );
    poller.setSymbols(['S1/USDT']);
    poller.start();
    await clock.advanceAsync(0);
    calls[0]!.reject(new RateLimitError('ex', 429, 2000, 'too many requests'));
    await clock.advanceAsync(0);
    expect(poller.blockedUntil).toBe(2000);
    await clock.advanceAsync(1999);
    expect(calls).toHaveLength(1);
    expect(poller.stats.rateLimited).toBe(1);
    await clock.advanceAsync(1);
    expect(calls).toHaveLength(2);
    expect(errors[0]!.error).toBeInstanceOf(RateLimitError);
    calls[1]!.resolve([]);
    await poller.stop();
  });

  it('caps requests in flight against a hanging server', async () => {
    const { clock, calls, poller } = setup({ maxSymbolsPerRequest: 1, orderBookRequestsPerSecond: 10 }, 100);
    poller.setSymbols(['S1/USDT']);
    poller.start();
    await clock.advanceAsync(1000);
    expect(calls).toHaveLength(4);
    expect(poller.stats.skippedBusy).toBeGreaterThan(0);
    await poller.stop();
  });

  it('stop aborts requests in flight, reports nothing afterwards and leaves no timer; start resumes', async () => {
    const { clock, calls, poller, received, errors } = setup(
      { maxSymbolsPerRequest: 1, orderBookRequestsPerSecond: 10 },
      100,
    );
    poller.setSymbols(['S1/USDT']);
    poller.start();
    await clock.advanceAsync(0);
    const signal = calls[0]!.options?.signal;
    await poller.stop();
    expect(signal?.aborted).toBe(true);
    expect(errors).toEqual([]);
    expect(received).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
    poller.start();
    // The rate holds across a restart: the next request waits out the 100 ms spacing.
    await clock.advanceAsync(99);
    expect(calls).toHaveLength(1);
    await clock.advanceAsync(1);
    expect(calls).toHaveLength(2);
    calls[1]!.resolve([snapshotOf('ex', 'S1/USDT', { exchangeTime: 1, receivedAt: 1 })]);
    await clock.advanceAsync(0);
    expect(received).toHaveLength(1);
    await poller.stop();
  });

  it('rejects unusable options', () => {
    const clock = new ManualClock(0);
    const { plugin } = fakePlugin(
      'ex',
      pairs,
      { maxSymbolsPerRequest: 0, orderBookRequestsPerSecond: 10 },
      () => 0,
    );
    const base = { clock, onSnapshots: () => {}, onError: () => {} };
    expect(() => new RestPoller({ ...base, plugin, intervalMs: 100 })).toThrow(ConfigError);
    const ok = fakePlugin(
      'ex',
      pairs,
      { maxSymbolsPerRequest: 1, orderBookRequestsPerSecond: 10 },
      () => 0,
    ).plugin;
    expect(() => new RestPoller({ ...base, plugin: ok, intervalMs: 0 })).toThrow(/positive number of ms/);
  });
});
