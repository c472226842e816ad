import type { Clock, InstrumentHealth } from '@arbitrage/core';
import type { ArbitrageEngine } from '@arbitrage/engine';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { inject, injectable } from 'tsyringe';
import type { RunnerProvider } from '../providers/create-provider.js';
import { TOKENS } from '../tokens/runner-tokens.js';

type CounterLabels = Record<string, string>;

/** Loop-time buckets, seconds: 1 µs to 10 ms (the target is far under 1 ms). */
const LOOP_BUCKETS = [1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 1e-2];

/**
 * The runner's Prometheus metrics, in a registry of its own (not prom-client's global one). Hot-path
 * counts (messages, loop time) are recorded as they happen; everything else is read from the engine
 * and the provider when `render()` is asked for (a scrape), so scraping costs nothing between scrapes.
 */
@injectable()
export class RunnerMetrics {
  readonly registry = new Registry();
  private readonly messages: Counter<'exchange' | 'symbol'>;
  private readonly reconnects: Counter<'exchange' | 'symbol'>;
  private readonly resyncs: Counter<'exchange' | 'symbol'>;
  private readonly gaps: Counter<'exchange' | 'symbol'>;
  private readonly invalidMessages: Counter<'exchange' | 'symbol'>;
  private readonly sourceSwitches: Counter;
  private readonly feedLive: Gauge<'exchange' | 'symbol' | 'source'>;
  private readonly snapshotAge: Gauge<'exchange' | 'symbol'>;
  private readonly loopTime: Histogram;
  private readonly premium: Gauge<'asset' | 'route' | 'kind'>;
  private readonly pnlKrw: Gauge<'kind'>;
  private readonly pnlUsd: Gauge<'kind'>;
  private readonly tradeEvents: Counter<'event' | 'route'>;
  private readonly closes: Counter<'reason' | 'route'>;
  private readonly routePnlKrw: Gauge<'route'>;
  private readonly openTrades: Gauge;
  private readonly activeOrders: Gauge;
  private readonly skips: Counter<'reason'>;
  private readonly refusals: Counter<'reason'>;
  private readonly halted: Gauge;
  /** Cumulative values already pushed into counters fed from totals, by counter and label key. */
  private readonly pushed = new Map<string, number>();
  private readonly messageChildren = new Map<string, Map<string, { inc(): void }>>();
  private readonly lastState = new Map<string, string>();

  constructor(
    @inject(TOKENS.SpreadEngine) private readonly engine: ArbitrageEngine,
    @inject(TOKENS.MarketDataProvider) private readonly provider: RunnerProvider,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {
    const registers = [this.registry];
    const feed = ['exchange', 'symbol'] as const;
    this.messages = new Counter({
      name: 'arb_feed_messages_total',
      help: 'Book updates delivered to the engine',
      labelNames: feed,
      registers,
    });
    this.reconnects = new Counter({
      name: 'arb_feed_reconnects_total',
      help: 'Times an instrument feed went down and began reconnecting',
      labelNames: feed,
      registers,
    });
    this.resyncs = new Counter({
      name: 'arb_feed_resyncs_total',
      help: 'Book resyncs started (gap, crossed book, reconnect)',
      labelNames: feed,
      registers,
    });
    this.gaps = new Counter({
      name: 'arb_feed_gaps_total',
      help: 'Sequence gaps detected',
      labelNames: feed,
      registers,
    });
    this.invalidMessages = new Counter({
      name: 'arb_feed_invalid_messages_total',
      help: 'Messages rejected at the edge',
      labelNames: feed,
      registers,
    });
    this.sourceSwitches = new Counter({
      name: 'arb_feed_source_switches_total',
      help: 'Fail-over switches between WebSocket and REST, both ways',
      registers,
    });
    this.feedLive = new Gauge({
      name: 'arb_feed_live',
      help: '1 when the instrument book is live (fresh and correct), else 0',
      labelNames: [...feed, 'source'],
      registers,
    });
    this.snapshotAge = new Gauge({
      name: 'arb_snapshot_age_seconds',
      help: 'Age of the latest book per instrument',
      labelNames: feed,
      registers,
    });
    this.loopTime = new Histogram({
      name: 'arb_loop_seconds',
      help: 'Loop time: book update arrival to engine decision',
      buckets: LOOP_BUCKETS,
      registers,
    });
    this.premium = new Gauge({
      name: 'arb_premium_ratio',
      help: 'Premium per asset and route (fraction): mid, its reference, the round trip to break even, and net of fees per direction for the trade size',
      labelNames: ['asset', 'route', 'kind'],
      registers,
    });
    this.pnlKrw = new Gauge({
      name: 'arb_pnl_krw',
      help: 'Paper PnL in KRW',
      labelNames: ['kind'],
      registers,
    });
    this.pnlUsd = new Gauge({
      name: 'arb_pnl_usd',
      help: 'Paper PnL in USD',
      labelNames: ['kind'],
      registers,
    });
    this.tradeEvents = new Counter({
      name: 'arb_trades_total',
      help: 'Hedged pairs opened, closed, and failed to open, per route (KRW venue-USDT venue)',
      labelNames: ['event', 'route'],
      registers,
    });
    this.closes = new Counter({
      name: 'arb_pairs_closed_total',
      help: 'Closed pairs by reason (converged, stop_loss, max_holding, unhedged) and route',
      labelNames: ['reason', 'route'],
      registers,
    });
    this.routePnlKrw = new Gauge({
      name: 'arb_route_realised_pnl_krw',
      help: 'Realised paper PnL in KRW per route (KRW venue-USDT venue)',
      labelNames: ['route'],
      registers,
    });
    this.openTrades = new Gauge({ name: 'arb_open_trades', help: 'Pairs not closed', registers });
    this.activeOrders = new Gauge({
      name: 'arb_active_orders',
      help: 'Paper orders waiting for their fill',
      registers,
    });
    this.skips = new Counter({
      name: 'arb_skips_total',
      help: 'Evaluations that opened nothing, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.refusals = new Counter({
      name: 'arb_guard_refusals_total',
      help: 'RiskGuard refusals, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.halted = new Gauge({
      name: 'arb_risk_halted',
      help: '1 while the RiskGuard halt is latched',
      registers,
    });
  }

  /** One book update delivered (hot path: a cached child counter, no label lookup). */
  countMessage(exchange: string, symbol: string): void {
    let symbols = this.messageChildren.get(exchange);
    if (!symbols) {
      symbols = new Map();
      this.messageChildren.set(exchange, symbols);
    }
    let child = symbols.get(symbol);
    if (!child) {
      child = this.messages.labels(exchange, symbol);
      symbols.set(symbol, child);
    }
    child.inc();
  }

  observeLoop(nanoseconds: number): void {
    this.loopTime.observe(nanoseconds / 1e9);
  }

  /** Counts an instrument going down (a reconnect follows). */
  onHealthChange(health: InstrumentHealth): void {
    const previous = this.lastState.get(health.instrument);
    this.lastState.set(health.instrument, health.state);
    if (health.state === 'down' && previous !== 'down') {
      this.reconnects.inc({ exchange: health.exchange, symbol: health.symbol });
    }
  }

  /** Reads the engine and provider into the metrics and renders the exposition text. */
  async render(): Promise<string> {
    this.refresh();
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  refresh(): void {
    const now = this.clock.now();
    const health = this.provider.health();
    // A source change (ws → rest) would leave the old series behind: rebuild the gauge each scrape.
    this.feedLive.reset();
    for (const instrument of Object.values(health.instruments)) {
      const labels = { exchange: instrument.exchange, symbol: instrument.symbol };
      this.pushTotal(this.resyncs, 'resyncs', labels, instrument.counters.resyncs);
      this.pushTotal(this.gaps, 'gaps', labels, instrument.counters.gaps);
      this.pushTotal(this.invalidMessages, 'invalid', labels, instrument.counters.invalidMessages);
      this.feedLive.set({ ...labels, source: instrument.source }, instrument.state === 'live' ? 1 : 0);
      const age =
        instrument.lastUpdateAt === undefined ? Number.NaN : Math.max(0, now - instrument.lastUpdateAt);
      this.snapshotAge.set(labels, age / 1000);
    }
    const switches = this.provider.switches?.();
    if (switches !== undefined) this.pushTotal(this.sourceSwitches, 'switches', {}, switches);
    const summary = this.engine.summary();
    for (const [asset, routes] of Object.entries(summary.premiums)) {
      for (const [route, premium] of Object.entries(routes)) {
        this.premium.set({ asset, route, kind: 'mid' }, premium.midPremium);
        this.premium.set({ asset, route, kind: 'sell_krw_net' }, premium.sellKrwNet);
        this.premium.set({ asset, route, kind: 'buy_krw_net' }, premium.buyKrwNet);
        this.premium.set({ asset, route, kind: 'reference' }, premium.reference);
        this.premium.set({ asset, route, kind: 'break_even' }, premium.breakEven.sellKrw);
      }
    }
    const { pnl } = summary;
    this.pnlKrw.set({ kind: 'realised' }, pnl.realisedKrw);
    this.pnlKrw.set({ kind: 'unrealised' }, pnl.unrealisedKrw);
    this.pnlKrw.set({ kind: 'total' }, pnl.totalKrw);
    this.pnlUsd.set({ kind: 'realised' }, pnl.realisedUsd);
    this.pnlUsd.set({ kind: 'unrealised' }, pnl.unrealisedUsd);
    this.pnlUsd.set({ kind: 'total' }, pnl.totalUsd);
    for (const [route, trades] of Object.entries(summary.trades.byRoute)) {
      this.pushTotal(this.tradeEvents, 'trades', { event: 'opened', route }, trades.opened);
      this.pushTotal(this.tradeEvents, 'trades', { event: 'closed', route }, trades.closed);
      this.pushTotal(this.tradeEvents, 'trades', { event: 'open_failed', route }, trades.openFailed);
      for (const [reason, count] of Object.entries(trades.closedBy)) {
        this.pushTotal(this.closes, 'close', { reason, route }, count);
      }
      this.routePnlKrw.set({ route }, trades.realisedKrw);
    }
    this.openTrades.set(summary.trades.open);
    this.activeOrders.set(summary.activeOrders);
    for (const [reason, count] of Object.entries(summary.skipReasons)) {
      this.pushTotal(this.skips, 'skip', { reason }, count);
    }
    for (const [reason, count] of Object.entries(summary.guardRefusals)) {
      this.pushTotal(this.refusals, 'refusal', { reason }, count);
    }
    this.halted.set(summary.halt.halted ? 1 : 0);
  }

  /** Advances a counter fed from a cumulative total to that total. */
  private pushTotal<L extends string>(
    counter: Counter<L>,
    name: string,
    labels: CounterLabels,
    total: number,
  ): void {
    const key = `${name}|${Object.values(labels).join('|')}`;
    const pushed = this.pushed.get(key);
    const delta = total - (pushed ?? 0);
    // A series is exported from its first scrape, at 0 if nothing happened yet (so rate() sees it start).
    if (delta > 0 || pushed === undefined) {
      counter.inc(labels as Partial<Record<L, string>>, Math.max(0, delta));
      this.pushed.set(key, Math.max(total, pushed ?? 0));
    }
  }
}
