import {
  type Clock,
  type ExchangePlugin,
  type InstrumentHealth,
  type InstrumentId,
  InstrumentSet,
  LagBaseline,
  Listeners,
  type Logger,
  type MarketDataProvider,
  noopLogger,
  type OrderBookSnapshot,
  type ProviderHealth,
  positiveNumber,
  systemClock,
  type TimerHandle,
} from '@arbitrage/core';
import {
  followConnectionStatus,
  type NatsConnection,
  type NatsConnectionSettings,
  openNatsConnection,
  type Subscription,
} from './nats-connection.js';
import { NatsInstrument, type PendingMessage } from './nats-instrument.js';
import { StartStop } from './start-stop.js';
import { bookTraceFields } from './wire/book-trace.js';
import {
  type BookMessage,
  decodeBook,
  decodeHealth,
  decodeSnapshotReply,
  type HealthMessage,
} from './wire/messages.js';
import { checkSubjectPrefix, instrumentSubjects } from './wire/subjects.js';

export interface NatsMarketDataProviderOptions
  extends Partial<Pick<NatsConnectionSettings, 'reconnectTimeWaitMs'>> {
  /** The exchange plugins that name the instruments (only their market lists are used). */
  readonly exchanges: readonly ExchangePlugin[];
  /** Instrument ids ('upbit:BTC/KRW') or native symbols ('KRW-BTC', 'BTCUSDT'). */
  readonly symbols: readonly string[];
  /** NATS server URL(s) the feed publishes to. */
  readonly servers: string | readonly string[];
  /** An instrument whose feed said nothing (no book, no heartbeat) for this long is stale (default 3,000 ms). */
  readonly staleAfterMs?: number;
  /** Wait before asking the feed again after a request failed (default 500 ms). */
  readonly resyncRetryMs?: number;
  /** How long a snapshot request may take (default 2,000 ms). */
  readonly requestTimeoutMs?: number;
  /** First subject token (default 'md'), as the feed's. */
  readonly subjectPrefix?: string;
  /**
   * Log every book at debug level ('book published' / 'book taken') with its feed, sequence and
   * levels, so the feed's and the consumers' logs can be compared (default false: it costs a log
   * line per book).
   */
  readonly traceBooks?: boolean;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** Messages a resyncing instrument holds until the feed's reply says where it stands (then replayed). */
const MAX_PENDING = 10_000;
const OWNER = 'NatsMarketDataProvider';
const MS = { unit: 'ms' } as const;

/**
 * A MarketDataProvider over a NATS feed (`NatsFeedPublisher`, see the README's wire format). An
 * instrument is live only while it follows the feed's books one sequence at a time, the feed calls
 * it live and was heard within `staleAfterMs`. A missed sequence, a restarted feed or a reconnect
 * makes it resyncing until the feed's reply to a snapshot request gives the latest book; a silent
 * feed makes it stale; a lost connection makes it down. The NATS client is loaded on start().
 */
export class NatsMarketDataProvider implements MarketDataProvider {
  readonly instruments: InstrumentSet;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly staleAfterMs: number;
  private readonly resyncRetryMs: number;
  private readonly requestTimeoutMs: number;
  private readonly traceBooks: boolean;
  private readonly settings: NatsConnectionSettings;
  private readonly entries = new Map<InstrumentId, NatsInstrument>();
  private readonly snapshotListeners: Listeners<OrderBookSnapshot>;
  private readonly healthListeners: Listeners<InstrumentHealth>;
  private connection: NatsConnection | undefined;
  private subscriptions: Subscription[] = [];
  private statusLoop: Promise<void> | undefined;
  private sweepTimer: TimerHandle | undefined;
  /** The feed clock's offset from ours (network floor included), so a backlog counts as old. */
  private readonly feedClock = new LagBaseline(30_000);
  private generation = 0;
  private readonly lifecycle = new StartStop(
    () => this.open(),
    () => this.close(),
  );

  constructor(options: NatsMarketDataProviderOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? noopLogger).child({ component: 'nats-provider' });
    this.instruments = new InstrumentSet(options.exchanges, options.symbols);
    this.staleAfterMs = positiveNumber(OWNER, 'staleAfterMs', options.staleAfterMs, 3_000, MS);
    this.resyncRetryMs = positiveNumber(OWNER, 'resyncRetryMs', options.resyncRetryMs, 500, MS);
    this.requestTimeoutMs = positiveNumber(OWNER, 'requestTimeoutMs', options.requestTimeoutMs, 2_000, MS);
    this.traceBooks = options.traceBooks === true;
    const prefix = checkSubjectPrefix(OWNER, options.subjectPrefix);
    this.settings = {
      servers: options.servers,
      name: 'arbitrage-nats-provider',
      ...(options.reconnectTimeWaitMs === undefined
        ? {}
        : { reconnectTimeWaitMs: options.reconnectTimeWaitMs }),
    };
    const now = this.clock.now();
    for (const instrument of this.instruments.instruments) {
      const entry = new NatsInstrument(instrument, instrumentSubjects(prefix, instrument.id), now);
      this.entries.set(instrument.id, entry);
    }
    const failed = (kind: string) => (error: unknown) =>
      this.logger.error({ err: error }, `an ${kind} listener threw; ignored`);
    this.snapshotListeners = new Listeners(failed('onSnapshot'));
    this.healthListeners = new Listeners(failed('onHealthChange'));
  }

  /** Connects (loading the NATS client), subscribes and asks the feed for every latest book. */
  start(): Promise<void> {
    return this.lifecycle.start();
  }

  /** Closes the connection and every timer and subscription; start() may follow. */
  stop(): Promise<void> {
    return this.lifecycle.stop();
  }

  getLatestSnapshot(symbol: string): OrderBookSnapshot | undefined {
    return this.entries.get(this.instruments.lookup(symbol).id)?.snapshot;
  }

  /** The feed run and book sequence held for an instrument (for checks against the feed). */
  position(symbol: string): { readonly feed: string; readonly seq: number } | undefined {
    const entry = this.entries.get(this.instruments.lookup(symbol).id);
    return entry?.feed === undefined ? undefined : { feed: entry.feed, seq: entry.seq };
  }

  onSnapshot(listener: (snapshot: OrderBookSnapshot) => void): () => void {
    return this.snapshotListeners.add(listener);
  }

  /** Called on every state change of an instrument. Returns unsubscribe. */
  onHealthChange(listener: (health: InstrumentHealth) => void): () => void {
    return this.healthListeners.add(listener);
  }

  health(): ProviderHealth {
    const now = this.clock.now();
    const instruments: Record<InstrumentId, InstrumentHealth> = {};
    let allLive = true;
    for (const entry of this.entries.values()) {
      const health = entry.health(now, this.staleAfterMs);
      instruments[entry.instrument.id] = health;
      if (health.state !== 'live') allLive = false;
    }
    return { at: now, allLive, instruments };
  }

  private async open(): Promise<void> {
    const connection = await openNatsConnection(this.settings);
    if (!this.lifecycle.running) {
      await connection.close();
      return;
    }
    this.connection = connection;
    const generation = ++this.generation;
    this.statusLoop = followConnectionStatus(
      connection,
      {
        disconnected: () => this.disconnected(),
        reconnected: () => this.reconnected(),
        slowConsumer: (pending) => this.logger.warn({ pending }, 'NATS reports this consumer as slow'),
      },
      () => generation === this.generation,
      this.logger,
    );
    for (const entry of this.entries.values()) {
      entry.sync = 'connecting';
      entry.syncReason = 'asking the feed for its latest book';
      entry.pending = [];
      this.subscriptions.push(
        connection.subscribe(entry.subjects.book, {
          callback: (error, msg) => {
            if (error === null) this.onBookMessage(entry, msg.data);
          },
        }),
        connection.subscribe(entry.subjects.health, {
          callback: (error, msg) => {
            if (error === null) this.onHealthMessage(entry, msg.data);
          },
        }),
      );
      this.update(entry);
    }
    this.sweep();
    for (const entry of this.entries.values()) this.request(entry);
  }

  private async close(): Promise<void> {
    this.generation++;
    this.clock.clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    for (const entry of this.entries.values()) {
      this.clock.clearTimeout(entry.retryTimer);
      entry.retryTimer = undefined;
      entry.pending = [];
    }
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
    const connection = this.connection;
    this.connection = undefined;
    if (connection) await connection.close();
    await this.statusLoop;
    this.statusLoop = undefined;
    for (const entry of this.entries.values()) {
      entry.requesting = false;
      entry.sync = 'down';
      entry.syncReason = 'provider stopped';
      this.update(entry);
    }
  }

  private disconnected(): void {
    this.logger.warn({}, 'lost the NATS connection; every instrument is down until it is back and resynced');
    for (const entry of this.entries.values()) {
      entry.sync = 'down';
      entry.syncReason = 'lost the NATS connection; reconnecting';
      entry.pending = [];
      this.clock.clearTimeout(entry.retryTimer);
      entry.retryTimer = undefined;
      this.update(entry);
    }
  }

  private reconnected(): void {
    this.logger.info({}, 'reconnected to NATS; asking the feed for every latest book');
    for (const entry of this.entries.values()) {
      this.resync(entry, 'reconnected to NATS; asking the feed for its latest book');
    }
  }

  private onBookMessage(entry: NatsInstrument, data: Uint8Array): void {
    if (!this.lifecycle.running) return;
    const decoded = decodeBook(data, entry.instrument.id);
    if (!decoded.ok) {
      this.rejected(entry, 'book', decoded.error);
      return;
    }
    const now = this.clock.now();
    entry.lastHeardAt = this.heardAt(now, decoded.value.publishedAt);
    this.book(entry, decoded.value, now);
  }

  private onHealthMessage(entry: NatsInstrument, data: Uint8Array): void {
    if (!this.lifecycle.running) return;
    const decoded = decodeHealth(data, entry.instrument.id);
    if (!decoded.ok) {
      this.rejected(entry, 'health', decoded.error);
      return;
    }
    const now = this.clock.now();
    entry.lastHeardAt = this.heardAt(now, decoded.value.publishedAt);
    this.healthOf(entry, decoded.value);
  }

  private book(entry: NatsInstrument, message: BookMessage, now: number): void {
    if (entry.sync !== 'synced') {
      this.hold(entry, { kind: 'book', message });
      return;
    }
    switch (entry.judgeBook(message)) {
      case 'old':
        entry.counters.droppedStale++;
        return;
      case 'resync':
        entry.counters.gaps++;
        this.resync(entry, this.missed(entry, message));
        this.hold(entry, { kind: 'book', message });
        return;
      case 'apply':
        this.take(entry, message, now);
        this.update(entry);
        if (entry.state === 'live' && this.snapshotListeners.size > 0)
          this.snapshotListeners.emit(entry.snapshot!);
    }
  }

  private take(entry: NatsInstrument, book: BookMessage, now: number): void {
    entry.takeBook(book, now);
    if (this.traceBooks) this.logger.debug(bookTraceFields(book), 'book taken');
  }

  private healthOf(entry: NatsInstrument, message: HealthMessage): void {
    if (entry.sync !== 'synced') {
      this.hold(entry, { kind: 'health', message });
      return;
    }
    switch (entry.judgeHealth(message)) {
      case 'old':
        this.update(entry);
        return;
      case 'resync':
        entry.counters.gaps++;
        this.resync(entry, this.missed(entry, message));
        return;
      case 'apply':
        entry.takeHealth(message);
        this.update(entry);
    }
  }

  private missed(entry: NatsInstrument, message: BookMessage | HealthMessage): string {
    return message.feed === entry.feed
      ? `missed books: held #${entry.seq}, the feed is at #${message.seq}`
      : `the feed restarted (run ${message.feed}, was ${entry.feed})`;
  }

  /** Keeps a message that arrived while resyncing; a feed that shows up makes a waiting request go out now. */
  private hold(entry: NatsInstrument, pending: PendingMessage): void {
    if (entry.sync === 'down' || entry.sync === 'failed') return;
    if (entry.pending.length >= MAX_PENDING) entry.pending.shift();
    entry.pending.push(pending);
    if (!entry.requesting) {
      this.clock.clearTimeout(entry.retryTimer);
      entry.retryTimer = undefined;
      this.request(entry);
    }
  }

  private resync(entry: NatsInstrument, reason: string): void {
    entry.counters.resyncs++;
    entry.sync = entry.feed === undefined ? 'connecting' : 'resyncing';
    entry.syncReason = reason;
    entry.pending = [];
    this.update(entry);
    this.request(entry);
  }

  private request(entry: NatsInstrument): void {
    const connection = this.connection;
    if (!this.lifecycle.running || connection === undefined || entry.requesting || entry.sync === 'down')
      return;
    entry.requesting = true;
    const generation = this.generation;
    connection.request(entry.subjects.snapshot, undefined, { timeout: this.requestTimeoutMs }).then(
      (msg) => {
        if (generation !== this.generation) return;
        entry.requesting = false;
        this.replied(entry, msg.data);
      },
      (error: unknown) => {
        if (generation !== this.generation) return;
        entry.requesting = false;
        this.requestFailed(entry, error);
      },
    );
  }

  private replied(entry: NatsInstrument, data: Uint8Array): void {
    if (!this.lifecycle.running || entry.sync === 'down') return;
    const decoded = decodeSnapshotReply(data, entry.instrument.id);
    if (!decoded.ok) {
      this.rejected(entry, 'snapshot reply', decoded.error);
      this.retry(entry, `the feed's snapshot reply was invalid: ${decoded.error}`);
      return;
    }
    const reply = decoded.value;
    if ('error' in reply) {
      entry.sync = 'failed';
      entry.syncReason = `the feed refused: ${reply.error}`;
      this.update(entry);
      this.retry(entry, entry.syncReason, 'failed');
      return;
    }
    const now = this.clock.now();
    entry.lastHeardAt = this.heardAt(now, reply.health.publishedAt);
    const before = entry.snapshot;
    if (reply.book) {
      if (reply.book.feed !== entry.feed || reply.book.seq !== entry.seq || before === undefined) {
        this.take(entry, reply.book, now);
      }
    } else {
      entry.feed = reply.health.feed;
      entry.seq = 0;
      entry.snapshot = undefined;
    }
    entry.takeHealth(reply.health);
    entry.sync = 'synced';
    entry.syncReason = undefined;
    const pending = entry.pending;
    entry.pending = [];
    this.update(entry);
    if (entry.snapshot !== before && entry.state === 'live' && this.snapshotListeners.size > 0) {
      this.snapshotListeners.emit(entry.snapshot!);
    }
    // What arrived while the request was out, in order: the books after the reply's apply, older ones
    // drop. The feed answers after publishing what the reply holds, so anything beyond the next
    // sequence is not its stream: counted and dropped, not a reason to ask again.
    for (const held of pending) {
      const verdict = held.kind === 'book' ? entry.judgeBook(held.message) : entry.judgeHealth(held.message);
      if (verdict === 'resync') entry.counters.gaps++;
      else if (held.kind === 'book') this.book(entry, held.message, now);
      else this.healthOf(entry, held.message);
    }
  }

  private requestFailed(entry: NatsInstrument, error: unknown): void {
    if (!this.lifecycle.running || entry.sync === 'down') return;
    const name = (error as { name?: string }).name ?? '';
    const why = /NoResponders/i.test(name)
      ? `no feed answers on ${entry.subjects.snapshot}`
      : /Timeout/i.test(name)
        ? `the feed did not answer within ${this.requestTimeoutMs} ms`
        : `snapshot request failed: ${(error as Error).message}`;
    this.retry(entry, why);
  }

  /** Says why the instrument waits and asks again after resyncRetryMs. */
  private retry(entry: NatsInstrument, reason: string, sync: 'failed' | undefined = undefined): void {
    if (sync === undefined && entry.sync !== 'synced') {
      entry.sync = entry.feed === undefined ? 'connecting' : 'resyncing';
      entry.syncReason = reason;
      this.update(entry);
    }
    this.clock.clearTimeout(entry.retryTimer);
    entry.retryTimer = this.clock.setTimeout(() => {
      entry.retryTimer = undefined;
      if (entry.sync === 'failed') entry.sync = entry.feed === undefined ? 'connecting' : 'resyncing';
      this.request(entry);
    }, this.resyncRetryMs);
  }

  /**
   * When the feed said this, in our time: a message that waited in a buffer (a slow reader, a
   * backlog after a pause) counts from when it was sent, so catching up on old books is not "fresh".
   */
  private heardAt(now: number, publishedAt: number): number {
    const lag = this.feedClock.lagOf(now, publishedAt);
    return lag === undefined ? now : now - lag;
  }

  private rejected(entry: NatsInstrument, kind: string, error: string): void {
    entry.counters.invalidMessages++;
    this.logger.debug(
      { instrument: entry.instrument.id, kind, error },
      'invalid message from the feed; ignored',
    );
  }

  /** Re-evaluates one instrument and reports a change. */
  private update(entry: NatsInstrument): void {
    if (entry.refresh(this.clock.now(), this.staleAfterMs) && this.healthListeners.size > 0) {
      this.healthListeners.emit(entry.health(this.clock.now(), this.staleAfterMs));
    }
  }

  /** Marks instruments whose feed went quiet as stale, on a short period. */
  private sweep(): void {
    this.sweepTimer = undefined;
    if (!this.lifecycle.running) return;
    for (const entry of this.entries.values()) this.update(entry);
    const periodMs = Math.max(20, Math.min(250, this.staleAfterMs / 4));
    this.sweepTimer = this.clock.setTimeout(() => this.sweep(), periodMs);
  }
}
