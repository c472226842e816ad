import {
  type ArbitrageError,
  bookDefect,
  type Clock,
  type ExchangePlugin,
  type InstrumentHealth,
  type InstrumentId,
  isOlderUpdate,
  Listeners,
  type LiveBook,
  type Logger,
  type MarketDataProvider,
  noopLogger,
  type OrderBookSnapshot,
  type ProviderHealth,
  positiveNumber,
  RateLimitError,
  type ResolvedInstrument,
  RestPoller,
  type SnapshotSource,
  systemClock,
  type TimerHandle,
} from '@arbitrage/core';
import { FailoverInstrument, type FailoverPolicy } from './failover-instrument.js';
import { DEFAULT_SNAPSHOT_DEPTH, LEVELS, MS, type WebSocketMarketDataProviderOptions } from './options.js';
import { WebSocketMarketDataProvider } from './websocket-provider.js';

export interface FailoverMarketDataProviderOptions extends WebSocketMarketDataProviderOptions {
  /** The stream stale, down, resyncing, failed or still connecting this long -> REST takes over (default 3000). */
  readonly failoverAfterMs?: number;
  /** The stream live again this long -> back to the stream (default 10000). */
  readonly switchBackAfterMs?: number;
  /** REST poll interval while on the backup, per instrument (default 1000; stretched to the exchange's limits). */
  readonly pollIntervalMs?: number;
  /** A REST snapshot older than this is stale (default: the larger of staleAfterMs ?? 5000 and 3 poll intervals). */
  readonly restStaleAfterMs?: number;
}

/** Health of one instrument under fail-over: core's InstrumentHealth plus the switching record. */
export interface FailoverInstrumentHealth extends InstrumentHealth {
  /** Source switches of this instrument (both ways) since start. */
  readonly switches: number;
  readonly lastSwitchAt?: number;
  /** The stream's own state, whatever the source. */
  readonly stream: { readonly state: InstrumentHealth['state']; readonly reason?: string };
}

const OWNER = 'FailoverMarketDataProvider';
const DEFAULT_FAILOVER_AFTER_MS = 3_000;
const DEFAULT_SWITCH_BACK_AFTER_MS = 10_000;
const DEFAULT_POLL_INTERVAL_MS = 1_000;

/**
 * WebSocket primary, REST backup, decided per instrument (policy in the README): when an
 * instrument's stream has not been live for `failoverAfterMs`, REST polling takes over that
 * instrument only; when the stream has been live again for `switchBackAfterMs`, polling stops and
 * the stream is served again. A REST snapshot older than the newest stream update is never served,
 * and onSnapshot never goes back in time. Every switch is logged, counted (`switches()`) and shown
 * in health (`source`, `switches`).
 */
export class FailoverMarketDataProvider implements MarketDataProvider {
  private readonly ws: WebSocketMarketDataProvider;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly depth: number;
  private readonly policy: FailoverPolicy;
  private readonly entries = new Map<InstrumentId, FailoverInstrument>();
  private readonly pollers = new Map<ExchangePlugin, RestPoller>();
  private readonly snapshotListeners: Listeners<OrderBookSnapshot>;
  private readonly healthListeners: Listeners<InstrumentHealth>;
  private detachers: Array<() => void> = [];
  private running = false;
  private switchCount = 0;
  private startWait: { timer: TimerHandle | undefined; release: () => void } | undefined;

  constructor(options: FailoverMarketDataProviderOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? noopLogger).child({ component: 'failover-provider' });
    this.depth = positiveNumber(OWNER, 'depth', options.depth, DEFAULT_SNAPSHOT_DEPTH, LEVELS);
    this.ws = new WebSocketMarketDataProvider(options);
    const pollIntervalMs = positiveNumber(
      OWNER,
      'pollIntervalMs',
      options.pollIntervalMs,
      DEFAULT_POLL_INTERVAL_MS,
      MS,
    );
    for (const plugin of this.ws.instruments.byPlugin().keys()) {
      this.pollers.set(
        plugin,
        new RestPoller({
          plugin,
          intervalMs: pollIntervalMs,
          depth: this.depth,
          clock: this.clock,
          logger: options.logger ?? noopLogger,
          onSnapshots: (snapshots) => this.restSnapshots(snapshots),
          onError: (error, symbols) => this.restFailed(plugin, error, symbols),
        }),
      );
    }
    const slowestPoll = Math.max(...[...this.pollers.values()].map((poller) => poller.effectiveIntervalMs));
    this.policy = {
      failoverAfterMs: positiveNumber(
        OWNER,
        'failoverAfterMs',
        options.failoverAfterMs,
        DEFAULT_FAILOVER_AFTER_MS,
        MS,
      ),
      switchBackAfterMs: positiveNumber(
        OWNER,
        'switchBackAfterMs',
        options.switchBackAfterMs,
        DEFAULT_SWITCH_BACK_AFTER_MS,
        MS,
      ),
      restStaleAfterMs: positiveNumber(
        OWNER,
        'restStaleAfterMs',
        options.restStaleAfterMs,
        Math.max(options.staleAfterMs ?? 5_000, 3 * slowestPoll),
        MS,
      ),
    };
    for (const instrument of this.ws.instruments.instruments) {
      this.entries.set(instrument.id, new FailoverInstrument(instrument));
    }
    const failed = (kind: string) => (error: unknown) =>
      this.logger.error({ err: error }, `an ${kind} listener threw; ignored`);
    this.snapshotListeners = new Listeners(failed('onSnapshot'));
    this.healthListeners = new Listeners(failed('onHealthChange'));
  }

  /** The thresholds in force. */
  get failoverPolicy(): FailoverPolicy {
    return this.policy;
  }

  /**
   * Starts the streams. Resolves when they are connected, or after `failoverAfterMs` at the latest
   * (by then REST has taken over whatever is not live), so a refused stream never blocks start.
   */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const now = this.clock.now();
    for (const entry of this.entries.values()) entry.reset(now);
    this.detachers.push(
      this.ws.onHealthChange((health) => this.streamHealthChanged(health)),
      this.ws.onBookUpdate((instrument, book) => this.streamUpdated(instrument, book)),
    );
    for (const poller of this.pollers.values()) {
      poller.setSymbols([]);
      poller.start();
    }
    for (const entry of this.entries.values()) this.evaluate(entry);
    const streams = this.ws.start().catch((error: unknown) => {
      this.logger.warn({ err: error }, 'the WebSocket streams could not start; REST backup covers them');
    });
    await Promise.race([streams, this.waitForFailover()]);
    this.releaseStartWait();
  }

  /** Stops streams, polling and timers; nothing is left. start() may follow. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.releaseStartWait();
    for (const entry of this.entries.values()) {
      this.clock.clearTimeout(entry.timer);
      entry.timer = undefined;
    }
    await Promise.all([this.ws.stop(), ...[...this.pollers.values()].map((poller) => poller.stop())]);
    for (const detach of this.detachers) detach();
    this.detachers = [];
    for (const entry of this.entries.values()) this.report(entry);
  }

  getLatestSnapshot(symbol: string): OrderBookSnapshot | undefined {
    const instrument = this.ws.instruments.lookup(symbol);
    const entry = this.entries.get(instrument.id)!;
    if (entry.source === 'ws') return this.ws.liveBook(instrument)?.snapshot(this.depth);
    const served = entry.served(this.ws.instrumentHealth(instrument), this.clock.now(), this.policy);
    if (served.snapshotFrom === 'rest') return entry.rest;
    return this.ws.liveBook(instrument)?.snapshot(this.depth);
  }

  onSnapshot(listener: (snapshot: OrderBookSnapshot) => void): () => void {
    return this.snapshotListeners.add(listener);
  }

  /** Called on every change of an instrument's state, reason or source. Returns unsubscribe. */
  onHealthChange(listener: (health: InstrumentHealth) => void): () => void {
    return this.healthListeners.add(listener);
  }

  /** Source switches since construction, both ways, over every instrument. */
  switches(): number {
    return this.switchCount;
  }

  health(): ProviderHealth {
    const now = this.clock.now();
    const instruments: Record<InstrumentId, FailoverInstrumentHealth> = {};
    let allLive = true;
    for (const entry of this.entries.values()) {
      const health = this.instrumentHealth(entry, now);
      instruments[entry.instrument.id] = health;
      if (health.state !== 'live') allLive = false;
    }
    return { at: now, allLive, instruments };
  }

  // ------------------------------------------------------------------ policy

  private instrumentHealth(entry: FailoverInstrument, now: number): FailoverInstrumentHealth {
    const ws = this.ws.instrumentHealth(entry.instrument, now);
    const served = entry.served(ws, now, this.policy);
    const stream = { state: ws.state, ...(ws.reason === undefined ? {} : { reason: ws.reason }) };
    const record = {
      switches: entry.switches,
      ...(entry.lastSwitchAt === undefined ? {} : { lastSwitchAt: entry.lastSwitchAt }),
      stream,
    };
    const counters = {
      ...ws.counters,
      updates: ws.counters.updates + entry.restUpdates,
      droppedStale: ws.counters.droppedStale + entry.restDroppedStale,
      crossed: ws.counters.crossed + entry.restCrossed,
      invalidMessages: ws.counters.invalidMessages + entry.restInvalid,
    };
    if (served.snapshotFrom !== 'rest') {
      const { reason: _streamReason, ...rest } = ws;
      return {
        ...rest,
        state: served.state,
        ...(served.reason === undefined ? {} : { reason: served.reason }),
        since: entry.source === 'ws' ? ws.since : entry.sinceFor(served.state, now),
        source: entry.source,
        counters,
        ...record,
      };
    }
    const snapshot = entry.rest!;
    return {
      instrument: ws.instrument,
      exchange: ws.exchange,
      symbol: ws.symbol,
      nativeSymbol: ws.nativeSymbol,
      state: served.state,
      ...(served.reason === undefined ? {} : { reason: served.reason }),
      since: entry.sinceFor(served.state, now),
      source: 'rest',
      lastUpdateAt: snapshot.receivedAt,
      ageMs: Math.max(0, now - snapshot.receivedAt),
      counters,
      ...record,
    };
  }

  /** Applies the policy to one instrument now, reports changes, and arms its next look. */
  private evaluate(entry: FailoverInstrument): void {
    if (!this.running) return;
    const now = this.clock.now();
    const ws = this.ws.instrumentHealth(entry.instrument, now);
    entry.observeStream(ws.state === 'live', now);
    const decision = entry.decide(now, this.policy, ws.reason);
    if (decision !== undefined) this.switchSource(entry, decision.to, decision.reason, now);
    this.report(entry);
    this.clock.clearTimeout(entry.timer);
    entry.timer = undefined;
    const deadline = entry.nextDeadline(this.policy);
    if (deadline !== undefined) {
      entry.timer = this.clock.setTimeout(
        () => {
          entry.timer = undefined;
          this.evaluate(entry);
        },
        Math.max(0, deadline - now),
      );
    }
  }

  private switchSource(entry: FailoverInstrument, to: SnapshotSource, reason: string, now: number): void {
    const from = entry.source;
    entry.switchTo(to, now);
    this.switchCount++;
    const poller = this.pollers.get(entry.instrument.plugin)!;
    const fields = { instrument: entry.instrument.id, from, to, switches: entry.switches, reason };
    if (to === 'rest') {
      poller.add(entry.instrument.symbol);
      this.logger.warn(fields, `${entry.instrument.id}: switching to REST polling (${reason})`);
    } else {
      poller.remove(entry.instrument.symbol);
      this.logger.info(fields, `${entry.instrument.id}: back to the WebSocket stream (${reason})`);
    }
  }

  /** Emits onHealthChange when state, source or reason changed since the last report. */
  private report(entry: FailoverInstrument): void {
    if (this.healthListeners.size === 0) return;
    const health = this.instrumentHealth(entry, this.clock.now());
    const key = `${health.state}|${health.source}|${health.reason ?? ''}`;
    if (key === entry.reportedKey) return;
    entry.reportedKey = key;
    this.healthListeners.emit(health);
  }

  // ------------------------------------------------------------------ inputs

  private streamHealthChanged(health: InstrumentHealth): void {
    const entry = this.entries.get(health.instrument);
    if (entry !== undefined) this.evaluate(entry);
  }

  private streamUpdated(instrument: ResolvedInstrument, book: LiveBook): void {
    const entry = this.entries.get(instrument.id)!;
    entry.observeBook(book);
    if (this.snapshotListeners.size === 0) return;
    if (entry.source === 'rest' && entry.rest !== undefined && isOlderUpdate(book, entry.rest)) return;
    this.emitSnapshot(entry, book.snapshot(this.depth));
  }

  private restSnapshots(snapshots: readonly OrderBookSnapshot[]): void {
    for (const snapshot of snapshots) {
      const entry = this.entries.get(`${snapshot.exchange}:${snapshot.symbol}` as InstrumentId);
      // A poll that was in flight when the instrument switched back is dropped.
      if (entry === undefined || entry.source !== 'rest') continue;
      const defect = bookDefect(snapshot);
      if (defect !== undefined) {
        entry.rejectRest(defect);
        this.evaluate(entry);
        continue;
      }
      if (!entry.acceptRest(snapshot)) continue;
      this.evaluate(entry);
      if (this.snapshotListeners.size > 0 && entry.restServable()) this.emitSnapshot(entry, snapshot);
    }
  }

  private restFailed(plugin: ExchangePlugin, error: ArbitrageError, symbols: readonly string[]): void {
    const message =
      error instanceof RateLimitError
        ? `rate limited (${error.status}), no request for ${error.retryAfterMs} ms`
        : `${error.code}: ${error.message}`;
    this.logger.debug({ exchange: plugin.id, code: error.code, symbols }, `REST poll failed: ${message}`);
    // A rate limit stops every request to the exchange, so it concerns all of its instruments.
    const affected =
      error instanceof RateLimitError
        ? [...this.entries.values()]
            .filter((e) => e.instrument.plugin === plugin)
            .map((e) => e.instrument.symbol)
        : symbols;
    for (const symbol of affected) {
      const entry = this.entries.get(`${plugin.id}:${symbol}` as InstrumentId);
      if (entry === undefined || entry.source !== 'rest') continue;
      entry.restError = message;
      // The exchange answered without a valid book for it: the REST snapshot held is not current.
      if (error.code === 'BOOK_MISSING') entry.rest = undefined;
      this.evaluate(entry);
    }
  }

  /** Hands a snapshot to listeners unless it is older than one already handed out. */
  private emitSnapshot(entry: FailoverInstrument, snapshot: OrderBookSnapshot): void {
    if (entry.lastEmitted !== undefined && isOlderUpdate(snapshot, entry.lastEmitted)) return;
    entry.lastEmitted = { sequence: snapshot.sequence, exchangeTime: snapshot.exchangeTime };
    this.snapshotListeners.emit(snapshot);
  }

  // ------------------------------------------------------------------ start wait

  private waitForFailover(): Promise<void> {
    return new Promise((resolve) => {
      const wait = {
        timer: undefined as TimerHandle | undefined,
        release: () => resolve(),
      };
      wait.timer = this.clock.setTimeout(() => {
        wait.timer = undefined;
        resolve();
      }, this.policy.failoverAfterMs);
      this.startWait = wait;
    });
  }

  private releaseStartWait(): void {
    const wait = this.startWait;
    if (!wait) return;
    this.startWait = undefined;
    this.clock.clearTimeout(wait.timer);
    wait.release();
  }
}
