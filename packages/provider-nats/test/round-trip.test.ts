import { type NatsServerHandle, sleep, startNatsServer, waitFor } from '@arbitrage/test-support';
import { connect } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { encode, type NatsFeedPublisher, type NatsMarketDataProvider, WIRE_VERSION } from '../src/index.js';
import { asPublished, ConsumerAudit, canonical, FeedRecord } from './support/audit.js';
import { consumerOf, describeHealth, IDS, scriptedFeed, stateOf } from './support/setup.js';

const [UPBIT, BINANCE] = IDS as [(typeof IDS)[0], (typeof IDS)[0]];
let server: NatsServerHandle | undefined;
let publisher: NatsFeedPublisher | undefined;
let consumer: NatsMarketDataProvider | undefined;
let audit: ConsumerAudit | undefined;

afterEach(async () => {
  audit?.close();
  await consumer?.stop();
  await publisher?.stop();
  await server?.stop();
  audit = undefined;
  consumer = undefined;
  publisher = undefined;
  server = undefined;
});

function activeHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

describe('NatsMarketDataProvider over a real nats-server', () => {
  it('a late joiner gets the latest book, then follows every book equal to the feed', async () => {
    server = await startNatsServer();
    const feed = scriptedFeed(server.url);
    publisher = feed.publisher;
    const record = new FeedRecord().watch(publisher);
    await publisher.start();
    for (let i = 0; i < 5; i++) feed.provider.push(UPBIT);
    feed.provider.push(BINANCE);

    consumer = consumerOf(server.url);
    expect(consumer.health().instruments[UPBIT]?.state).toBe('connecting');
    audit = new ConsumerAudit(consumer, record);
    await consumer.start();
    await waitFor(() => consumer!.health().allLive, 5_000, describeHealth(consumer));
    // Joined after five books: the reply gave the fifth.
    expect(consumer.position(UPBIT)).toEqual({ feed: publisher.feed, seq: 5 });
    expect(canonical(consumer.getLatestSnapshot('KRW-BTC')!)).toBe(
      canonical(asPublished(feed.provider.getLatestSnapshot(UPBIT)!)),
    );

    const before = audit.emitted.get(UPBIT) ?? 0;
    for (let i = 0; i < 50; i++) feed.provider.push(UPBIT);
    await waitFor(() => consumer!.position(UPBIT)?.seq === 55, 5_000, 'the consumer at #55');
    expect((audit.emitted.get(UPBIT) ?? 0) - before).toBe(50);
    expect(canonical(consumer.getLatestSnapshot('upbit:BTC/KRW')!)).toBe(
      canonical(asPublished(feed.provider.getLatestSnapshot(UPBIT)!)),
    );
    expect(consumer.health().instruments[UPBIT]).toMatchObject({ state: 'live', source: 'ws' });
    expect(consumer.health().instruments[UPBIT]?.counters).toMatchObject({ gaps: 0, invalidMessages: 0 });
    expect(audit.violations).toEqual([]);
  });

  it('a publisher attached to a provider that is already live publishes its current books at once', async () => {
    server = await startNatsServer();
    const feed = scriptedFeed(server.url);
    feed.provider.push(UPBIT);
    feed.provider.push(BINANCE);
    publisher = feed.publisher;
    const record = new FeedRecord().watch(publisher);
    await publisher.start();
    consumer = consumerOf(server.url);
    audit = new ConsumerAudit(consumer, record);
    await consumer.start();
    await waitFor(() => consumer!.health().allLive, 5_000, describeHealth(consumer));
    expect(consumer.position(UPBIT)).toEqual({ feed: publisher.feed, seq: 1 });
    expect(canonical(consumer.getLatestSnapshot(UPBIT)!)).toBe(
      canonical(asPublished(feed.provider.getLatestSnapshot(UPBIT)!)),
    );
    expect(audit.violations).toEqual([]);
  });

  it("follows the feed's state: stale at the feed is not live here, and back", async () => {
    server = await startNatsServer();
    const feed = scriptedFeed(server.url);
    publisher = feed.publisher;
    const record = new FeedRecord().watch(publisher);
    await publisher.start();
    feed.provider.push(UPBIT);
    feed.provider.push(BINANCE);
    consumer = consumerOf(server.url);
    audit = new ConsumerAudit(consumer, record);
    await consumer.start();
    await waitFor(() => consumer!.health().allLive, 5_000, describeHealth(consumer));

    feed.provider.setState(UPBIT, 'resyncing', 'gap expected 10 got 12');
    await waitFor(() => stateOf(consumer!, UPBIT)() === 'resyncing', 5_000, describeHealth(consumer));
    expect(consumer.health().instruments[UPBIT]?.reason).toBe('at the feed: gap expected 10 got 12');
    feed.provider.push(UPBIT);
    await waitFor(() => stateOf(consumer!, UPBIT)() === 'live', 5_000, describeHealth(consumer));
    expect(consumer.position(UPBIT)?.seq).toBe(2);
    expect(audit.violations).toEqual([]);
  });

  it('a missing sequence makes the instrument resyncing and it recovers from the latest book; garbage is counted', async () => {
    server = await startNatsServer();
    const feed = scriptedFeed(server.url);
    publisher = feed.publisher;
    const record = new FeedRecord().watch(publisher);
    await publisher.start();
    for (let i = 0; i < 3; i++) feed.provider.push(UPBIT);
    feed.provider.push(BINANCE);
    consumer = consumerOf(server.url);
    audit = new ConsumerAudit(consumer, record);
    await consumer.start();
    await waitFor(() => consumer!.health().allLive, 5_000, describeHealth(consumer));

    const raw = await connect({ servers: server.url });
    try {
      raw.publish('md.book.upbit.BTC_KRW', new TextEncoder().encode('{"v":1,"feed":'));
      raw.publish(
        'md.book.upbit.BTC_KRW',
        encode({
          ...record.book(publisher.feed, UPBIT, 3)!,
          v: WIRE_VERSION,
          feed: publisher.feed,
          instrument: UPBIT,
          seq: 5,
          publishedAt: 0,
        } as never),
      );
      await raw.flush();
    } finally {
      await raw.close();
    }
    await waitFor(
      () => (consumer!.health().instruments[UPBIT]?.counters.gaps ?? 0) >= 1,
      5_000,
      describeHealth(consumer),
    );
    await waitFor(() => stateOf(consumer!, UPBIT)() === 'live', 5_000, describeHealth(consumer));
    expect(audit.statesOf(UPBIT)).toContain('resyncing');
    expect(consumer.position(UPBIT)).toEqual({ feed: publisher.feed, seq: 3 });
    expect(consumer.health().instruments[UPBIT]?.counters.invalidMessages).toBe(1);
    feed.provider.push(UPBIT);
    await waitFor(() => consumer!.position(UPBIT)?.seq === 4, 5_000, 'the next book');
    expect(audit.violations).toEqual([]);
  });

  it('stop() leaves no socket, timer or listener behind; start() works again', async () => {
    server = await startNatsServer();
    const feed = scriptedFeed(server.url);
    publisher = feed.publisher;
    await publisher.start();
    feed.provider.push(UPBIT);
    feed.provider.push(BINANCE);
    await sleep(50);
    const baseline = activeHandles();
    consumer = consumerOf(server.url);
    const unsubscribe = consumer.onSnapshot(() => {});
    await consumer.start();
    await waitFor(() => consumer!.health().allLive, 5_000, describeHealth(consumer));
    await consumer.stop();
    expect(consumer.health().instruments[UPBIT]).toMatchObject({ state: 'down', reason: 'provider stopped' });
    await waitFor(
      () =>
        ['TCPSocketWrap', 'Timeout'].every((kind) => (activeHandles()[kind] ?? 0) <= (baseline[kind] ?? 0)),
      3_000,
      () => `handles back to ${JSON.stringify(baseline)}, now ${JSON.stringify(activeHandles())}`,
    );
    unsubscribe();
    await consumer.start();
    await waitFor(() => consumer!.health().allLive, 5_000, describeHealth(consumer));
    await consumer.stop();
    await publisher.stop();
    expect(feed.provider['snapshots' as never]).toMatchObject({ size: 0 });
  });

  it('start() without a server is a NetworkError naming the URL', async () => {
    consumer = consumerOf('nats://127.0.0.1:1');
    await expect(consumer.start()).rejects.toThrow(/cannot connect to NATS at nats:\/\/127\.0\.0\.1:1/);
    expect(consumer.health().instruments[UPBIT]?.state).toBe('connecting');
  });
});
