import { type InstrumentId, noopLogger } from '@arbitrage/core';
import { createBinanceExchange } from '@arbitrage/exchange-binance';
import { createUpbitExchange } from '@arbitrage/exchange-upbit';
import { NatsFeedPublisher, NatsMarketDataProvider } from '@arbitrage/provider-nats';
import { WebSocketMarketDataProvider } from '@arbitrage/provider-ws';
import { startSimulator } from '@arbitrage/simulator';
import { startNatsServer, waitFor } from '@arbitrage/test-support';
import { expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { simulatorMarket } from '../market/market.js';
import { FIXED_REFERENCE, MemorySink, testConfig } from '../test-support/support.js';
import { PaperSession } from './paper-session.js';

const INSTRUMENTS: InstrumentId[] = ['upbit:BTC/KRW', 'binance:BTC/USDT', 'upbit:USDT/KRW'];

it('--source nats: the engine trades on books from a feed over NATS, equal to the feed’s', async () => {
  const simulator = await startSimulator({
    seed: 11,
    assets: ['BTC'],
    premium: { mean: 0, sd: 0.0002, assetSd: 0.0001, spikesPerHour: 0, usdtMean: 0, usdtSd: 0.0001 },
  });
  const server = await startNatsServer();
  const feedPlugins = [
    createUpbitExchange({ restUrl: simulator.upbit.restUrl, wsUrl: simulator.upbit.wsUrl }),
    createBinanceExchange({ restUrl: simulator.binance.restUrl, wsUrl: simulator.binance.wsUrl }),
  ];
  const source = new WebSocketMarketDataProvider({ exchanges: feedPlugins, symbols: INSTRUMENTS });
  const publisher = new NatsFeedPublisher({ provider: source, servers: server.url, depth: 15 });
  const published = new Map<string, { bids: unknown; asks: unknown }>();
  publisher.onPublished(({ seq, message }) =>
    published.set(`${message.instrument}#${seq}`, { bids: message.bids, asks: message.asks }),
  );
  let session: PaperSession | undefined;
  try {
    await publisher.start();
    await source.start();
    session = await PaperSession.start({
      config: testConfig({
        ...FIXED_REFERENCE,
        source: 'nats',
        assets: [{ asset: 'BTC', tradeSize: 0.01 }],
        feeds: { natsUrl: server.url },
        runner: { statusIntervalMs: 0, tickIntervalMs: 100 },
      }),
      env: {},
      logger: noopLogger,
      statusSink: new MemorySink(),
      market: simulatorMarket(simulator, { stopWithRun: false }),
    });
    const provider = session.provider;
    expect(provider).toBeInstanceOf(NatsMarketDataProvider);
    const engine = session.engine;
    await waitFor(
      () => (engine.summary().skipReasons.below_threshold ?? 0) > 0,
      10_000,
      'priced evaluations',
    );
    for (const id of INSTRUMENTS) {
      const held = provider.getLatestSnapshot(id)!;
      const position = (provider as NatsMarketDataProvider).position(id)!;
      expect(position.feed).toBe(publisher.feed);
      expect({ bids: held.bids, asks: held.asks }).toEqual(published.get(`${id}#${position.seq}`));
    }
    // Upbit 2 % dearer at the source: the runner sees it only through the feed, and trades.
    simulator.market.moveBook('upbit', 'KRW-BTC', 200);
    await waitFor(() => engine.summary().trades.opened > 0, 10_000, 'a trade on books from NATS');
  } finally {
    await session?.stop('stopped');
    await source.stop();
    await publisher.stop();
    await Promise.all(feedPlugins.map((plugin) => plugin.close()));
    await server.stop();
    await simulator.stop();
  }
});

it('--source nats without --nats-url is a config error that says what to pass', async () => {
  await expect(
    loadConfig({ env: {}, flags: [{ flag: '--source', path: ['source'], value: 'nats' }] }),
  ).rejects.toThrow(/source: nats .* needs its server: pass --nats-url nats:\/\/127\.0\.0\.1:4222/);
  await expect(
    loadConfig({ env: { ARB_SOURCE: 'nats', ARB_FEEDS__NATS_URL: 'http://x' }, flags: [] }),
  ).rejects.toThrow(/expected a NATS URL/);
});
