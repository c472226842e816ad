import { fileURLToPath } from 'node:url';
import { createBinanceExchange } from '@arbitrage/exchange-binance';
import { createUpbitExchange } from '@arbitrage/exchange-upbit';
import { NatsMarketDataProvider } from '@arbitrage/provider-nats';
import { startNatsServer, startNodeScript, waitFor } from '@arbitrage/test-support';
import { expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

function run(args: string[]) {
  const running = startNodeScript(MAIN, args);
  return { ...running, exited: running.finished.then((finished) => finished.code) };
}

it('`feed --nats` on the simulator publishes books a NatsMarketDataProvider serves live; SIGTERM stops it cleanly', async () => {
  const server = await startNatsServer();
  const feed = run(['--nats', server.url, '--market', 'sim', '--source', 'ws', '--log-level', 'info']);
  const consumer = new NatsMarketDataProvider({
    exchanges: [createUpbitExchange(), createBinanceExchange()],
    symbols: ['upbit:BTC/KRW', 'binance:BTC/USDT', 'upbit:USDT/KRW'],
    servers: server.url,
  });
  try {
    await consumer.start();
    await waitFor(
      () => consumer.health().allLive,
      30_000,
      () => `${JSON.stringify(consumer.health())}\n${feed.stderr()}`,
    );
    const seq = consumer.position('KRW-BTC')!.seq;
    await waitFor(() => consumer.position('KRW-BTC')!.seq > seq + 5, 10_000, 'more books');
    feed.child.kill('SIGTERM');
    expect(await feed.exited).toBe(0);
    expect(feed.stderr()).toContain('feed started: publishing every book to NATS');
    expect(feed.stderr()).toContain('feed stopped');
    // The feed said goodbye by going quiet: the consumer stops calling its books live.
    await waitFor(() => !consumer.health().allLive, 10_000, 'not live once the feed is gone');
  } finally {
    feed.child.kill('SIGKILL');
    await consumer.stop();
    await server.stop();
  }
});

it('bad input is exit code 2 with a clear message; no NATS server is exit code 1 naming the URL', async () => {
  const bad = run(['--nats', 'http://127.0.0.1:4222']);
  expect(await bad.exited).toBe(2);
  expect(bad.stderr()).toContain('expected a nats:// URL');
  const missing = run([]);
  expect(await missing.exited).toBe(2);
  expect(missing.stderr()).toContain("required option '--nats <url>' not specified");
  const nobody = run(['--nats', 'nats://127.0.0.1:1', '--market', 'sim', '--duration', '2s']);
  expect(await nobody.exited).toBe(1);
  expect(nobody.stderr()).toContain('cannot connect to NATS at nats://127.0.0.1:1');
});

it('the feed killed (SIGKILL) and started again: consumers go stale, then live on the new run', async () => {
  const server = await startNatsServer();
  const consumer = new NatsMarketDataProvider({
    exchanges: [createUpbitExchange(), createBinanceExchange()],
    symbols: ['upbit:BTC/KRW', 'binance:BTC/USDT'],
    servers: server.url,
    staleAfterMs: 1_000,
  });
  let feed = run(['--nats', server.url, '--market', 'sim', '--source', 'ws']);
  try {
    await consumer.start();
    await waitFor(
      () => consumer.health().allLive,
      30_000,
      () => `${JSON.stringify(consumer.health())}\n${feed.stderr()}`,
    );
    const firstRun = consumer.position('KRW-BTC')!.feed;
    feed.child.kill('SIGKILL');
    await feed.exited;
    await waitFor(
      () => Object.values(consumer.health().instruments).every((i) => i.state === 'stale'),
      10_000,
      () => JSON.stringify(consumer.health()),
    );
    feed = run(['--nats', server.url, '--market', 'sim', '--source', 'ws']);
    await waitFor(
      () => consumer.health().allLive && consumer.position('KRW-BTC')!.feed !== firstRun,
      30_000,
      () => `${JSON.stringify(consumer.health())}\n${feed.stderr()}`,
    );
    expect(consumer.health().instruments['upbit:BTC/KRW']?.counters.staleEvents).toBeGreaterThanOrEqual(1);
  } finally {
    feed.child.kill('SIGKILL');
    await consumer.stop();
    await server.stop();
  }
});
