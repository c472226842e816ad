import {
  type Clock,
  type InstrumentHealth,
  type InstrumentId,
  type InstrumentState,
  Listeners,
  type Logger,
  type MarketDataProvider,
  noopLogger,
  type OrderBookSnapshot,
  positiveNumber,
  systemClock,
  type TimerHandle,
} from '@arbitrage/core';
import { newFeedId } from './feed-id.js';
import {
  followConnectionStatus,
  type Msg,
  type NatsConnection,
  type NatsConnectionSettings,
  openNatsConnection,
} from './nats-connection.js';
import { StartStop } from './start-stop.js';
import { bookTraceFields } from './wire/book-trace.js';
import { type BookMessage, encode, type HealthMessage, WIRE_VERSION } from './wire/messages.js';
import {
  checkSubjectPrefix,
  type InstrumentSubjects,
  instrumentOfSnapshotSubject,
  instrumentSubjects,
  snapshotWildcard,
} from './wire/subjects.js';

/** A provider the feed publishes: core's interface, plus health-change events when it has them. */
export interface PublishedProvider extends MarketDataProvider {
  onHealthChange?(listener: (health: InstrumentHealth) => void): () => void;
}

export interface NatsFeedPublisherOptions
  extends Partial<Pick<NatsConnectionSettings, 'reconnectTimeWaitMs'>> {
  /** The in-process provider whose books are published (started and stopped by its owner). */
  readonly provider: PublishedProvider;
  /** NATS server URL(s). */
  readonly servers: string | readonly string[];
  /** Levels per side published (default 20). */
  readonly depth?: number;
  /** Each instrument's state is re-sent this often, so consumers tell a quiet book from a dead feed (default 1,000 ms). */
  readonly heartbeatMs?: number;
  /** First subject token (default 'md'). */
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

/** What the publisher did with one book, for observers (tests, the bench). */
export interface PublishedBook {
  readonly feed: string;
  readonly seq: number;
  /**
   * False when the NATS server was unreachable: the book got its `seq` and is what a snapshot
   * request answers, but was not sent on the book subject.
   */
  readonly sent: boolean;
  readonly snapshot: OrderBookSnapshot;
  readonly message: BookMessage;
}

interface PublishedInstrument {
  readonly id: InstrumentId;
  readonly subjects: InstrumentSubjects;
  seq: number;
  state: InstrumentState;
  reason: string | undefined;
  lastSnapshot: OrderBookSnapshot | undefined;
  lastBook: BookMessage | undefined;
}

const OWNER = 'NatsFeedPublisher';

/**
 * Publishes a provider's books and health to NATS (see the README's wire format): every snapshot
 * as a book message with the instrument's next sequence, every state change and a heartbeat per
 * instrument as health messages, and the latest book and state to anyone who asks on the snapshot
 * subject (late joiners, consumers resyncing after a gap).
 */
export class NatsFeedPublisher {
  private readonly provider: PublishedProvider;
  private readonly clock: Clock;
  private readonly traceBooks: boolean;
  private readonly logger: Logger;
  private readonly depth: number;
  private readonly heartbeatMs: number;
  private readonly prefix: string;
  private readonly settings: NatsConnectionSettings;
  private readonly instruments = new Map<InstrumentId, PublishedInstrument>();
  private readonly publishedListeners: Listeners<PublishedBook>;
  private connection: NatsConnection | undefined;
  /**
   * False while the client is reconnecting. Books are then counted but not handed to the client,
   * whose reconnect buffer would otherwise grow without bound and replay stale books on reconnect;
   * consumers see the jump in `seq` and ask for the latest book instead.
   */
  private serverReachable = false;
  private statusLoop: Promise<void> | undefined;
  private generation = 0;
  private withheld = 0;
  private unsubscribers: Array<() => void> = [];
  private heartbeat: TimerHandle | undefined;
  private feedId = '';
  private readonly lifecycle = new StartStop(
    () => this.open(),
    () => this.close(),
  );

  constructor(options: NatsFeedPublisherOptions) {
    this.provider = options.provider;
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? noopLogger).child({ component: 'nats-feed-publisher' });
    this.depth = positiveNumber(OWNER, 'depth', options.depth, 20, {
      integer: true,
      unit: 'levels per side',
    });
    this.traceBooks = options.traceBooks === true;
    this.heartbeatMs = positiveNumber(OWNER, 'heartbeatMs', options.heartbeatMs, 1_000, { unit: 'ms' });
    this.prefix = checkSubjectPrefix(OWNER, options.subjectPrefix);
    this.settings = {
      servers: options.servers,
      name: 'arbitrage-feed',
      ...(options.reconnectTimeWaitMs === undefined
        ? {}
        : { reconnectTimeWaitMs: options.reconnectTimeWaitMs }),
    };
    const failed = (error: unknown) =>
      this.logger.error({ err: error }, 'an onPublished listener threw; ignored');
    this.publishedListeners = new Listeners(failed);
  }

  /** This run's feed id ('' before start): a new one on every start. */
  get feed(): string {
    return this.feedId;
  }

  /** Books not sent because the NATS server was unreachable (consumers resync past them). */
  booksWithheld(): number {
    return this.withheld;
  }

  /** Called with every book given a sequence, sent or withheld (`sent`). Returns unsubscribe. */
  onPublished(listener: (book: PublishedBook) => void): () => void {
    return this.publishedListeners.add(listener);
  }

  /** Connects, answers snapshot requests and publishes from now on. Attach before the provider starts to miss nothing. */
  start(): Promise<void> {
    return this.lifecycle.start();
  }

  /** Stops publishing, flushes what was published and closes the connection; start() may follow. */
  stop(): Promise<void> {
    return this.lifecycle.stop();
  }

  private async open(): Promise<void> {
    const connection = await openNatsConnection(this.settings);
    if (!this.lifecycle.running) {
      await connection.close();
      return;
    }
    this.connection = connection;
    this.serverReachable = true;
    const generation = ++this.generation;
    this.statusLoop = followConnectionStatus(
      connection,
      { disconnected: () => this.serverLost(), reconnected: () => this.serverBack() },
      () => generation === this.generation,
      this.logger,
    );
    this.feedId = newFeedId();
    this.instruments.clear();
    // Entries start as 'connecting': the first beat adopts the provider's states, publishing the
    // current book of each instrument already live (a feed attached to a running provider).
    for (const id of Object.keys(this.provider.health().instruments)) this.entry(id as InstrumentId);
    const requests = connection.subscribe(snapshotWildcard(this.prefix), {
      callback: (error, msg) => {
        if (error === null) this.answer(msg);
      },
    });
    this.unsubscribers.push(() => requests.unsubscribe());
    this.unsubscribers.push(this.provider.onSnapshot((snapshot) => this.publishBook(snapshot)));
    if (this.provider.onHealthChange) {
      this.unsubscribers.push(this.provider.onHealthChange((health) => this.healthChanged(health)));
    }
    this.logger.info({ feed: this.feedId, instruments: this.instruments.size }, 'publishing books to NATS');
    this.beat();
  }

  private async close(): Promise<void> {
    this.clock.clearTimeout(this.heartbeat);
    this.heartbeat = undefined;
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    const connection = this.connection;
    this.connection = undefined;
    this.serverReachable = false;
    this.generation++;
    if (connection && !connection.isClosed()) {
      try {
        await connection.drain();
      } catch {
        await connection.close();
      }
    }
    await this.statusLoop;
    this.statusLoop = undefined;
  }

  private serverLost(): void {
    this.serverReachable = false;
    this.logger.warn({}, 'lost the NATS server; books are withheld until it is back');
  }

  private serverBack(): void {
    this.serverReachable = true;
    this.logger.info({ withheld: this.withheld }, 'NATS server back; publishing again');
    // The state of every instrument at once: consumers learn the current seq and resync.
    this.clock.clearTimeout(this.heartbeat);
    this.beat();
  }

  private entry(id: InstrumentId, health?: InstrumentHealth): PublishedInstrument {
    let entry = this.instruments.get(id);
    if (entry === undefined) {
      entry = {
        id,
        subjects: instrumentSubjects(this.prefix, id),
        seq: 0,
        state: health?.state ?? 'connecting',
        reason: health?.reason,
        lastSnapshot: undefined,
        lastBook: undefined,
      };
      this.instruments.set(id, entry);
    }
    return entry;
  }

  private publishBook(snapshot: OrderBookSnapshot): void {
    const connection = this.connection;
    if (!this.lifecycle.running || connection === undefined) return;
    const entry = this.entry(`${snapshot.exchange}:${snapshot.symbol}` as InstrumentId);
    // Already published (on the change to live that came first).
    if (snapshot === entry.lastSnapshot) return;
    entry.seq += 1;
    const message: BookMessage = {
      v: WIRE_VERSION,
      feed: this.feedId,
      instrument: entry.id,
      nativeSymbol: snapshot.nativeSymbol,
      seq: entry.seq,
      bids: snapshot.bids.length > this.depth ? snapshot.bids.slice(0, this.depth) : snapshot.bids,
      asks: snapshot.asks.length > this.depth ? snapshot.asks.slice(0, this.depth) : snapshot.asks,
      ...(snapshot.sequence === undefined ? {} : { exchangeSeq: snapshot.sequence }),
      exchangeTime: snapshot.exchangeTime,
      receivedAt: snapshot.receivedAt,
      publishedAt: this.clock.now(),
      source: snapshot.source,
    };
    entry.lastSnapshot = snapshot;
    entry.lastBook = message;
    const sent = this.serverReachable;
    if (sent) connection.publish(entry.subjects.book, encode(message));
    else this.withheld++;
    if (this.traceBooks) this.logger.debug({ ...bookTraceFields(message), sent }, 'book published');
    if (this.publishedListeners.size > 0) {
      this.publishedListeners.emit({ feed: this.feedId, seq: entry.seq, sent, snapshot, message });
    }
  }

  private healthChanged(health: InstrumentHealth): void {
    if (!this.lifecycle.running) return;
    const entry = this.entry(health.instrument, health);
    this.adopt(entry, health.state, health.reason);
    this.publishHealth(entry);
  }

  /**
   * Takes the provider's state. On a change to live the provider's current book is published first
   * when it was not yet: "live" then always follows the book it vouches for on the wire.
   */
  private adopt(entry: PublishedInstrument, state: InstrumentState, reason: string | undefined): void {
    if (state === 'live' && entry.state !== 'live') {
      const latest = this.provider.getLatestSnapshot(entry.id);
      if (latest !== undefined && latest !== entry.lastSnapshot) this.publishBook(latest);
    }
    entry.state = state;
    entry.reason = reason;
  }

  private healthMessage(entry: PublishedInstrument): HealthMessage {
    return {
      v: WIRE_VERSION,
      feed: this.feedId,
      instrument: entry.id,
      seq: entry.seq,
      state: entry.state,
      ...(entry.reason === undefined ? {} : { reason: entry.reason.slice(0, 500) }),
      publishedAt: this.clock.now(),
    };
  }

  private publishHealth(entry: PublishedInstrument): void {
    if (this.serverReachable)
      this.connection?.publish(entry.subjects.health, encode(this.healthMessage(entry)));
  }

  /** Re-sends every instrument's state (as the provider computes it now) and schedules the next beat. */
  private beat(): void {
    this.heartbeat = undefined;
    if (!this.lifecycle.running) return;
    const instruments = this.provider.health().instruments;
    for (const entry of this.instruments.values()) {
      const health = instruments[entry.id];
      if (health !== undefined) this.adopt(entry, health.state, health.reason);
      this.publishHealth(entry);
    }
    this.heartbeat = this.clock.setTimeout(() => this.beat(), this.heartbeatMs);
  }

  private answer(msg: Msg): void {
    if (!this.lifecycle.running || msg.reply === undefined) return;
    const id = instrumentOfSnapshotSubject(this.prefix, msg.subject);
    const entry = id === undefined ? undefined : this.instruments.get(id);
    if (entry === undefined) {
      msg.respond(encode({ v: WIRE_VERSION, error: `this feed does not publish ${id ?? msg.subject}` }));
      return;
    }
    const health = this.healthMessage(entry);
    msg.respond(
      encode(
        entry.lastBook ? { v: WIRE_VERSION, health, book: entry.lastBook } : { v: WIRE_VERSION, health },
      ),
    );
  }
}
