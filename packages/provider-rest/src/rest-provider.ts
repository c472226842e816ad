import {
  type ArbitrageError,
  type Clock,
  type ExchangeId,
  type ExchangePlugin,
  type InstrumentHealth,
  type InstrumentId,
  InstrumentSet,
  Listeners,
  type Logger,
  type MarketDataProvider,
  noopLogger,
  type OrderBookSnapshot,
  optionalPositiveNumber,
  type ProviderHealth,
  positiveNumber,
  RateLimitError,
  RestPoller,
  systemClock,
} from '@arbitrage/core';
import { RestInstrument } from './rest-instrument.js';

export interface RestMarketDataProviderOptions {
  /** The exchange plugins to poll (`createUpbitExchange(...)`, `createBinanceExchange(...)`). */
  readonly exchanges: readonly ExchangePlugin[];
  /** Instrument ids ('upbit:BTC/KRW') or native symbols ('KRW-BTC', 'BTCUSDT'). */
  readonly symbols: readonly string[];
  /** Wanted time between two polls of one instrument (default 1000); stretched, with one warning, when the exchange's limits cannot sustain it. */
  readonly pollIntervalMs?: number;
  /** Levels per side to request (default 20; Upbit serves at most 30). */
  readonly depth?: number;
  /** A snapshot older than this is stale (default: 3 poll intervals of its exchange, as stretched). */
  readonly staleAfterMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

const DEFAULT_POLL_INTERVAL_MS = 1_000;
const DEFAULT_DEPTH = 20;
const OWNER = 'RestMarketDataProvider';
const MS = { unit: 'ms' } as const;

/**
 * A MarketDataProvider that polls each exchange's REST order books. Per exchange one RestPoller
 * batches the symbols as the exchange allows (Upbit: many markets per request; Binance: one) and
 * staggers the requests evenly inside the exchange's rate; when symbols x frequency would exceed it,
 * the interval is stretched and a warning says so once. Snapshots are marked source 'rest'; one
 * older than the snapshot held (a late response) is dropped and counted.
 */
export class RestMarketDataProvider implements MarketDataProvider {
  readonly instruments: InstrumentSet;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly staleAfterMs: number | undefined;
  private readonly entries = new Map<InstrumentId, RestInstrument>();
  private readonly pollers = new Map<ExchangePlugin, RestPoller>();
  private readonly snapshotListeners: Listeners<OrderBookSnapshot>;
  private readonly healthListeners: Listeners<InstrumentHealth>;
  private running = false;
  private stopping: Promise<void> | undefined;

  constructor(options: RestMarketDataProviderOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? noopLogger).child({ component: 'rest-provider' });
    this.instruments = new InstrumentSet(options.exchanges, options.symbols);
    const intervalMs = positiveNumber(
      OWNER,
      'pollIntervalMs',
      options.pollIntervalMs,
      DEFAULT_POLL_INTERVAL_MS,
      MS,
    );
    const depth = positiveNumber(OWNER, 'depth', options.depth, DEFAULT_DEPTH, {
      integer: true,
      unit: 'levels per side',
    });
    this.staleAfterMs = optionalPositiveNumber(OWNER, 'staleAfterMs', options.staleAfterMs, MS);
    const now = this.clock.now();
    for (const [plugin, instruments] of this.instruments.byPlugin()) {
      const poller = new RestPoller({
        plugin,
        intervalMs,
        depth,
        clock: this.clock,
        logger: options.logger ?? noopLogger,
        onSnapshots: (snapshots) => this.received(snapshots),
        onError: (error, symbols) => this.failed(plugin.id, error, symbols),
      });
      poller.setSymbols(instruments.map((instrument) => instrument.symbol));
      this.pollers.set(plugin, poller);
      for (const instrument of instruments)
        this.entries.set(instrument.id, new RestInstrument(instrument, now));
    }
    const failed = (kind: string) => (error: unknown) =>
      this.logger.error({ err: error }, `an ${kind} listener threw; ignored`);
    this.snapshotListeners = new Listeners(failed('onSnapshot'));
    this.healthListeners = new Listeners(failed('onHealthChange'));
  }

  /** Time between two polls of one instrument per exchange, as stretched to its limits. */
  pollIntervals(): Record<ExchangeId, number> {
    const intervals: Record<ExchangeId, number> = {};
    for (const [plugin, poller] of this.pollers) intervals[plugin.id] = poller.effectiveIntervalMs;
    return intervals;
  }

  async start(): Promise<void> {
    if (this.running) return;
    if (this.stopping) await this.stopping;
    this.running = true;
    const now = this.clock.now();
    for (const entry of this.entries.values()) {
      if (entry.snapshot === undefined)
        this.transition(entry, 'connecting', 'waiting for the first REST snapshot', now);
      else this.armStale(entry);
    }
    for (const poller of this.pollers.values()) poller.start();
  }

  /** Stops polling (requests in flight are aborted) and every timer. start() may follow. */
  stop(): Promise<void> {
    if (!this.running) return this.stopping ?? Promise.resolve();
    this.running = false;
    const now = this.clock.now();
    for (const entry of this.entries.values()) {
      this.clock.clearTimeout(entry.staleTimer);
      entry.staleTimer = undefined;
    }
    this.stopping = Promise.all([...this.pollers.values()].map((poller) => poller.stop())).then(() => {
      this.stopping = undefined;
      for (const entry of this.entries.values()) this.transition(entry, 'down', 'provider stopped', now);
    });
    return this.stopping;
  }

  getLatestSnapshot(symbol: string): OrderBookSnapshot | undefined {
    return this.entries.get(this.instruments.lookup(symbol).id)?.snapshot;
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
      const health = entry.health(now, this.staleAfter(entry));
      instruments[entry.instrument.id] = health;
      if (health.state !== 'live') allLive = false;
    }
    return { at: now, allLive, instruments };
  }

  private staleAfter(entry: RestInstrument): number {
    return this.staleAfterMs ?? 3 * this.pollers.get(entry.instrument.plugin)!.effectiveIntervalMs;
  }

  private received(snapshots: readonly OrderBookSnapshot[]): void {
    if (!this.running) return;
    const now = this.clock.now();
    for (const snapshot of snapshots) {
      const entry = this.entries.get(`${snapshot.exchange}:${snapshot.symbol}` as InstrumentId);
      if (entry === undefined) continue;
      const previous = entry.state;
      const accepted = entry.accept(snapshot, now);
      if (previous !== entry.state) this.report(entry);
      if (!accepted) continue;
      this.armStale(entry);
      if (this.snapshotListeners.size > 0) this.snapshotListeners.emit(snapshot);
    }
  }

  private failed(exchange: ExchangeId, error: ArbitrageError, symbols: readonly string[]): void {
    if (!this.running) return;
    const now = this.clock.now();
    this.logger.debug({ exchange, code: error.code, symbols }, `REST poll failed: ${error.message}`);
    // A rate limit stops every request to the exchange, so it concerns all of its instruments.
    const affected =
      error instanceof RateLimitError
        ? this.instruments.instruments.filter((i) => i.exchange === exchange).map((i) => i.symbol)
        : symbols;
    for (const symbol of affected) {
      const entry = this.entries.get(`${exchange}:${symbol}` as InstrumentId);
      if (entry === undefined) continue;
      const before = `${entry.state}|${entry.reason}`;
      entry.failed(error, now);
      if (before !== `${entry.state}|${entry.reason}`) this.report(entry);
    }
  }

  private armStale(entry: RestInstrument): void {
    this.clock.clearTimeout(entry.staleTimer);
    entry.staleTimer = undefined;
    if (!this.running || entry.snapshot === undefined) return;
    const staleAfterMs = this.staleAfter(entry);
    const due = entry.snapshot.receivedAt + staleAfterMs + 1 - this.clock.now();
    entry.staleTimer = this.clock.setTimeout(
      () => {
        entry.staleTimer = undefined;
        if (entry.checkStale(this.clock.now(), staleAfterMs)) this.report(entry);
      },
      Math.max(0, due),
    );
  }

  private transition(
    entry: RestInstrument,
    state: RestInstrument['state'],
    reason: string | undefined,
    now: number,
  ): void {
    if (entry.state === state && entry.reason === reason) return;
    entry.setState(state, reason, now);
    this.report(entry);
  }

  private report(entry: RestInstrument): void {
    if (this.healthListeners.size > 0) {
      this.healthListeners.emit(entry.health(this.clock.now(), this.staleAfter(entry)));
    }
  }
}
