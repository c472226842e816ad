import type { InstrumentId } from '@arbitrage/core';
import { createBinanceExchange } from '@arbitrage/exchange-binance';
import { createUpbitExchange } from '@arbitrage/exchange-upbit';
import { WebSocketMarketDataProvider } from '@arbitrage/provider-ws';
import { startSimulator } from '@arbitrage/simulator';
import { startNatsServer, waitFor } from '@arbitrage/test-support';
import { expect, it } from 'vitest';
import { NatsFeedPublisher, NatsMarketDataProvider } from '../src/index.js';
import { asPublished, ConsumerAudit, canonical, FeedRecord } from './support/audit.js';

const SYMBOLS: InstrumentId[] = ['upbit:BTC/KRW', 'upbit:ETH/KRW', 'binance:BTC/USDT', 'binance:ETH/USDT'];

it("the simulator's books through a WebSocket provider, the feed and NATS arrive equal to the feed's", async () => {
  const sim = await startSimulator({
    seed: 7,
    upbit: { updatesPerSecond: 20 },
    binance: { updatesPerSecond: 20 },
  });
  const server = await startNatsServer();
  const plugins = () => [
    createUpbitExchange({ restUrl: sim.upbit.restUrl, wsUrl: sim.upbit.wsUrl }),
    createBinanceExchange({ restUrl: sim.binance.restUrl, wsUrl: sim.binance.wsUrl }),
  ];
  const feedPlugins = plugins();
  const source = new WebSocketMarketDataProvider({
    exchanges: feedPlugins,
    symbols: SYMBOLS,
    staleAfterMs: 2_000,
  });
  const publisher = new NatsFeedPublisher({ provider: source, servers: server.url, heartbeatMs: 200 });
  const record = new FeedRecord().watch(publisher);
  const last = new Map<InstrumentId, number>();
  publisher.onPublished(({ seq, message }) => last.set(message.instrument, seq));
  const consumer = new NatsMarketDataProvider({
    exchanges: plugins(),
    symbols: SYMBOLS,
    servers: server.url,
    staleAfterMs: 2_000,
  });
  const audit = new ConsumerAudit(consumer, record);
  try {
    await publisher.start();
    await source.start();
    await consumer.start();
    await waitFor(
      () => consumer.health().allLive,
      10_000,
      () => JSON.stringify(consumer.health()),
    );
    const at = Object.fromEntries(SYMBOLS.map((id) => [id, consumer.position(id)!.seq]));
    await waitFor(
      () => SYMBOLS.every((id) => consumer.position(id)!.seq > at[id]! + 10),
      10_000,
      'ten more books each',
    );
    await source.stop();
    // Everything the feed published has arrived, and the last book of each equals the feed's.
    await waitFor(
      () => SYMBOLS.every((id) => consumer.position(id)!.seq === last.get(id)),
      5_000,
      () => JSON.stringify(SYMBOLS.map((id) => [consumer.position(id), last.get(id)])),
    );
    for (const id of SYMBOLS) {
      expect(canonical(consumer.getLatestSnapshot(id)!)).toBe(
        canonical(asPublished(record.book(publisher.feed, id, last.get(id)!)!)),
      );
    }
    expect(audit.violations).toEqual([]);
    for (const id of SYMBOLS) expect(consumer.health().instruments[id]?.counters.gaps).toBe(0);
  } finally {
    audit.close();
    record.close();
    await consumer.stop();
    await source.stop();
    await publisher.stop();
    await Promise.all(feedPlugins.map((plugin) => plugin.close()));
    await server.stop();
    await sim.stop();
  }
});
