import { createServer } from 'node:net';
import type { MarketDataProvider } from '@arbitrage/core';
import { createBinanceExchange } from '@arbitrage/exchange-binance';
import { createUpbitExchange } from '@arbitrage/exchange-upbit';
import { sleep } from '@arbitrage/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { FailoverMarketDataProvider, WebSocketMarketDataProvider } from '../src/index.js';
import { activeHandles, expectNoLeaks } from './support/harness.js';

// Issue 12, defect 3e: stop() during a start() that waits for a host that never answers must end
// at once, with every reconnect, instead of waiting for the start.

/** Far above what stopping takes: only a stop that waits on the pending start comes near it. */
const HANG_MS = 3_000;

/** A port nobody listens on: one the OS just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

type Kind = 'ws' | 'failover';
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function provider(kind: Kind, host: string): MarketDataProvider {
  const upbit = createUpbitExchange({
    restUrl: `http://${host}`,
    wsUrl: `ws://${host}/websocket/v1`,
    restTimeoutMs: 500,
  });
  const binance = createBinanceExchange({
    restUrl: `http://${host}`,
    wsUrl: `ws://${host}/stream`,
    restTimeoutMs: 500,
  });
  closers.push(() => Promise.all([upbit.close(), binance.close()]).then(() => undefined));
  const options = { exchanges: [upbit, binance], symbols: ['KRW-BTC', 'BTCUSDT'] };
  return kind === 'ws'
    ? new WebSocketMarketDataProvider(options)
    : new FailoverMarketDataProvider({ ...options, failoverAfterMs: 100, pollIntervalMs: 50 });
}

/** 'settled' when `promise` settles before `ms`, else 'hung'. */
async function within(promise: Promise<unknown>, ms: number): Promise<'settled' | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), ms);
  });
  const settled = promise.then(
    () => 'settled' as const,
    () => 'settled' as const,
  );
  try {
    return await Promise.race([settled, hung]);
  } finally {
    clearTimeout(timer);
  }
}

const targets: Array<[string, () => Promise<string>]> = [
  ['a port nobody listens on', async () => `127.0.0.1:${await closedPort()}`],
  ['a host that does not resolve', async () => 'market-data.invalid:443'],
];

describe.each(targets)('stop() while start() waits for %s', (_target, hostOf) => {
  describe.each<[Kind]>([['ws'], ['failover']])('%s provider', (kind) => {
    it('mid-dial: stop resolves at once, start gives up, nothing is left', async () => {
      const baseline = activeHandles();
      const p = provider(kind, await hostOf());
      const starting = p.start();
      expect(await within(p.stop(), HANG_MS)).toBe('settled');
      expect(await within(starting, HANG_MS)).toBe('settled');
      await expectNoLeaks(baseline);
    });

    it('while reconnecting: stop resolves at once and ends the reconnects', async () => {
      const baseline = activeHandles();
      const p = provider(kind, await hostOf());
      const starting = p.start();
      // Long enough for the first dial to fail and a reconnect to be scheduled.
      await sleep(300);
      expect(await within(p.stop(), HANG_MS)).toBe('settled');
      expect(await within(starting, HANG_MS)).toBe('settled');
      await expectNoLeaks(baseline);
      await sleep(200);
      expect(activeHandles().TCPSocketWrap ?? 0).toBeLessThanOrEqual(baseline.TCPSocketWrap ?? 0);
    });
  });
});
