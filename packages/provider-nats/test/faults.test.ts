import type { InstrumentId } from '@arbitrage/core';
import { type NatsServerHandle, sleep, startNatsServer, waitFor } from '@arbitrage/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import type { NatsFeedPublisher, NatsMarketDataProvider } from '../src/index.js';
import { ConsumerAudit, FeedRecord } from './support/audit.js';
import { PausableProxy } from './support/pausable-proxy.js';
import type { ScriptedProvider } from './support/scripted-provider.js';
import { consumerOf, describeHealth, IDS, STALE_AFTER_MS, scriptedFeed } from './support/setup.js';

const [UPBIT, BINANCE] = IDS as [InstrumentId, InstrumentId];
let server: NatsServerHandle | undefined;
let publishers: NatsFeedPublisher[] = [];
let consumer: NatsMarketDataProvider | undefined;
let audit: ConsumerAudit | undefined;
let proxy: PausableProxy | undefined;
let ticker: ReturnType<typeof setInterval> | undefined;

afterEach(async () => {
  clearInterval(ticker);
  audit?.close();
  await consumer?.stop();
  for (const publisher of publishers) await publisher.stop();
  await proxy?.stop();
  await server?.stop();
  audit = undefined;
  consumer = undefined;
  publishers = [];
  proxy = undefined;
  server = undefined;
});

/** Pushes a book on every instrument every `everyMs` (a busy feed). */
function stream(provider: ScriptedProvider, everyMs = 5): void {
  clearInterval(ticker);
  ticker = setInterval(() => {
    for (const id of IDS) provider.push(id);
  }, everyMs);
}

async function startFeed(url: string, record: FeedRecord) {
  const feed = scriptedFeed(url);
  publishers.push(feed.publisher);
  record.watch(feed.publisher);
  await feed.publisher.start();
  return feed;
}

const allLive = () => consumer!.health().allLive;
const caughtUp = (publisher: NatsFeedPublisher, provider: ScriptedProvider) => () =>
  IDS.every((id) => {
    const position = consumer!.position(id);
    return (
      position?.feed === publisher.feed &&
      consumer!.health().instruments[id]?.state === 'live' &&
      position.seq > 0 &&
      provider.getLatestSnapshot(id) !== undefined
    );
  });

describe('faults against a real nats-server: nothing stale or gapped is served as live', () => {
  it('nats-server restarted mid-stream: down while it is gone, then resynced and live', async () => {
    server = await startNatsServer();
    const record = new FeedRecord();
    const feed = await startFeed(server.url, record);
    stream(feed.provider);
    consumer = consumerOf(server.url);
    audit = new ConsumerAudit(consumer, record);
    await consumer.start();
    await waitFor(allLive, 5_000, describeHealth(consumer));

    await server.kill();
    await waitFor(
      () => consumer!.health().instruments[UPBIT]?.state === 'down',
      5_000,
      describeHealth(consumer),
    );
    expect(consumer.health().instruments[BINANCE]).toMatchObject({
      state: 'down',
      reason: 'lost the NATS connection; reconnecting',
    });
    await sleep(200);
    expect(consumer.health().allLive).toBe(false);
    // The feed keeps receiving books while the server is gone and withholds them (no unbounded
    // reconnect buffer replaying stale books later).
    await waitFor(
      () => feed.publisher.booksWithheld() > 20,
      5_000,
      'books withheld while the server is gone',
    );
    await server.restart();
    await waitFor(allLive, 10_000, describeHealth(consumer));
    const at = consumer.position(UPBIT)!.seq;
    await waitFor(() => consumer!.position(UPBIT)!.seq > at + 10, 5_000, 'books flowing again');
    expect(audit.statesOf(UPBIT)).toEqual(expect.arrayContaining(['down', 'live']));
    expect(consumer.position(UPBIT)?.feed).toBe(feed.publisher.feed);
    const withheld = feed.publisher.booksWithheld();
    await sleep(300);
    expect(feed.publisher.booksWithheld()).toBe(withheld);
    expect(audit.violations).toEqual([]);
  });

  it('the feed killed and restarted: stale once silent beyond staleAfterMs, then live on the new feed', async () => {
    server = await startNatsServer();
    const record = new FeedRecord();
    const first = await startFeed(server.url, record);
    stream(first.provider);
    consumer = consumerOf(server.url);
    audit = new ConsumerAudit(consumer, record);
    await consumer.start();
    await waitFor(allLive, 5_000, describeHealth(consumer));

    clearInterval(ticker);
    await first.publisher.stop();
    const stoppedAt = Date.now();
    await sleep(STALE_AFTER_MS + 50);
    // health() judges silence when asked, whatever the timers did.
    expect(consumer.health().instruments[UPBIT]?.state).toBe('stale');
    expect(consumer.health().instruments[UPBIT]?.reason).toMatch(
      /^no fresh message from the feed for \d+ ms/,
    );
    await waitFor(() => audit!.statesOf(UPBIT).includes('stale'), 2_000, 'a reported change to stale');
    const wentStale = audit.transitions.find((t) => t.id === UPBIT && t.state === 'stale');
    expect(wentStale!.at).toBeGreaterThanOrEqual(stoppedAt);

    const second = await startFeed(server.url, record);
    expect(second.publisher.feed).not.toBe(first.publisher.feed);
    stream(second.provider);
    await waitFor(caughtUp(second.publisher, second.provider), 5_000, describeHealth(consumer));
    expect(consumer.health().instruments[UPBIT]?.counters.staleEvents).toBeGreaterThanOrEqual(1);
    expect(audit.violations).toEqual([]);
  });

  it('a slow consumer: the server drops it, it is not live until it has resynced', async () => {
    server = await startNatsServer({
      config: 'max_payload: 65536\nmax_pending: 262144\nwrite_deadline: "300ms"\n',
    });
    proxy = await new PausableProxy(server.port).start();
    const record = new FeedRecord();
    const feed = await startFeed(server.url, record);
    consumer = consumerOf(proxy.url);
    audit = new ConsumerAudit(consumer, record);
    for (const id of IDS) feed.provider.push(id);
    await consumer.start();
    await waitFor(allLive, 5_000, describeHealth(consumer));

    proxy.pause();
    // Far more than the socket buffers and the server's 256 KiB allowance.
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 250; i++) for (const id of IDS) feed.provider.push(id);
      await sleep(10);
    }
    await sleep(500);
    proxy.resume();
    await waitFor(
      () => audit!.statesOf(UPBIT).some((state) => state === 'down' || state === 'resyncing'),
      5_000,
      describeHealth(consumer),
    );
    for (const id of IDS) feed.provider.push(id);
    await waitFor(caughtUp(feed.publisher, feed.provider), 10_000, describeHealth(consumer));
    expect(consumer.health().instruments[UPBIT]?.counters.resyncs).toBeGreaterThanOrEqual(1);
    // Catching up on the backlog it was sent too late is not live: nothing live between the stall and the resync.
    const states = audit.statesOf(UPBIT);
    const stalled = states.indexOf('stale');
    const recovering = states.findIndex(
      (state, i) => i > stalled && (state === 'down' || state === 'resyncing'),
    );
    expect(stalled).toBeGreaterThan(0);
    expect(states.slice(stalled, recovering)).not.toContain('live');
    expect(audit.violations).toEqual([]);
  });

  it('a consumer joining late into a busy stream is live on the latest book and follows it', async () => {
    server = await startNatsServer();
    const record = new FeedRecord();
    const feed = await startFeed(server.url, record);
    stream(feed.provider, 2);
    await sleep(300);
    consumer = consumerOf(server.url);
    audit = new ConsumerAudit(consumer, record);
    await consumer.start();
    await waitFor(allLive, 5_000, describeHealth(consumer));
    const at = consumer.position(UPBIT)!.seq;
    expect(at).toBeGreaterThan(10);
    await waitFor(() => consumer!.position(UPBIT)!.seq > at + 50, 5_000, 'following the stream');
    expect(consumer.health().instruments[UPBIT]?.counters.gaps).toBe(0);
    expect(audit.violations).toEqual([]);
  });
});
