import type { Clock, Logger, OrderBookSnapshot, PriceLevel, ProviderHealth } from '@arbitrage/core';
import { ConfigError, noopLogger, systemClock } from '@arbitrage/core';
import {
  type EngineConfig,
  type ResolvedEngineConfig,
  requiredMarkets,
  resolveEngineConfig,
} from '../engine-config.js';
import { LatencyHistogram } from '../latency-histogram.js';
import { checkLeg } from '../leg-check.js';
import type { BookSlot, MarketView } from '../market-view.js';
import type { PaperBroker } from '../paper/paper-broker.js';
import { bookMid, computePremium, directionQuote, exitPremium, MutablePremiumQuote } from '../premium.js';
import { ReasonCounts } from '../reason-counts.js';
import type { RiskGuard } from '../risk/risk-guard.js';
import { riskLimitProblems } from '../risk/risk-limits.js';
import { createBaseline } from '../strategy/premium-baseline.js';
import {
  breakEvenMove,
  convergenceTarget,
  expectedProfit,
  openingPremium,
  pairPremium,
  repriced,
  roundTripFees,
} from '../strategy/round-trip.js';
import type { CloseReason, EntryMarks, HedgedTrade, PairMarks, TradeView } from '../trade/hedged-trade.js';
import type { Direction, EngineVenues, MarketRef } from '../types.js';
import type { AssetState } from './asset-state.js';
import {
  type EngineDecision,
  MutableDecision,
  ORDER_SKIP_REASONS,
  RISK_SKIP_REASONS,
  type SkipReason,
} from './decision.js';
import { PairExecution, type TradeEvent } from './pair-execution.js';
import type { AssetPremiumSummary, EngineSummary, PnlReport } from './summary.js';

export interface ArbitrageEngineOptions {
  readonly config: EngineConfig;
  /** The venue of each leg: exchange ids, quote currencies and taker fees come from here. */
  readonly venues: EngineVenues;
  /** Where the latest books and their health are handed in; the engine tracks the markets it needs. */
  readonly market: MarketView;
  /** Paper execution; this package has no other kind. */
  readonly broker: PaperBroker;
  readonly riskGuard: RiskGuard;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Closed pairs kept for `trades()`. Default 1000. */
  readonly closedTradeHistory?: number;
}

/**
 * The arbitrage loop's logic, without sockets: hand it snapshots (and health) and it decides, per
 * asset and per book update, whether to open a hedged pair, close one, or skip — and says why.
 * Decisions are taken on the net premium (see `computePremium`); pairs are sent to a PaperBroker;
 * every opening passes the RiskGuard.
 */
export class ArbitrageEngine {
  readonly config: ResolvedEngineConfig;
  private readonly market: MarketView;
  private readonly broker: PaperBroker;
  private readonly guard: RiskGuard;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly assets: AssetState[];
  private readonly assetsByName = new Map<string, AssetState>();
  /** exchange → symbol → assets whose evaluation a book update there touches. */
  private readonly routes = new Map<string, Map<string, AssetState[]>>();
  private readonly conversionSlot: BookSlot | undefined;
  private readonly fxRate: number;
  private readonly skipCounts = new ReasonCounts<SkipReason>();
  private readonly histogram = new LatencyHistogram();
  private readonly execution: PairExecution;
  private readonly unsubscribeFills: () => void;
  private openingStopped: string | undefined;
  private lastUsdtKrw = Number.NaN;

  constructor(options: ArbitrageEngineOptions) {
    this.config = resolveEngineConfig(options.config, options.venues);
    this.market = options.market;
    this.broker = options.broker;
    this.guard = options.riskGuard;
    const problems = riskLimitProblems(
      this.guard.limits,
      this.config.assets.map((asset) => asset.asset),
    );
    if (problems.length > 0) {
      throw new ConfigError(
        `the RiskGuard's limits do not cover the configured assets: ${problems.join('; ')}`,
      );
    }
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? noopLogger;
    const conversion = this.config.conversion;
    this.fxRate = conversion.mode === 'fx' ? conversion.usdKrw : Number.NaN;
    this.lastUsdtKrw = this.fxRate;
    const conversionMarket = this.config.conversionMarket;
    this.conversionSlot = conversionMarket
      ? this.market.track(conversionMarket.exchange, conversionMarket.symbol)
      : undefined;

    this.assets = this.config.assets.map((asset) => {
      const quote = new MutablePremiumQuote();
      const state: AssetState = {
        config: asset,
        krw: this.market.track(asset.krw.exchange, asset.krw.symbol),
        usdt: this.market.track(asset.usdt.exchange, asset.usdt.symbol),
        quote,
        decision: new MutableDecision(asset.asset, quote),
        trades: [],
        pendingOrders: 0,
        quotedAt: Number.NaN,
        baseline: createBaseline(this.config.baseline),
        usdtKrw: Number.NaN,
      };
      this.assetsByName.set(asset.asset, state);
      this.route(asset.krw, state);
      this.route(asset.usdt, state);
      if (conversionMarket) this.route(conversionMarket, state);
      return state;
    });
    this.execution = new PairExecution({
      broker: this.broker,
      guard: this.guard,
      clock: this.clock,
      logger: this.logger,
      closedTradeHistory: options.closedTradeHistory ?? 1000,
      usdtKrw: () => this.lastUsdtKrw,
    });
    this.unsubscribeFills = this.broker.onFill((fill) => this.execution.handleFill(fill));
  }

  /** Every market the engine reads: subscribe providers to these. */
  markets(): readonly MarketRef[] {
    return requiredMarkets(this.config);
  }

  /** Stores a snapshot and evaluates every asset it touches. Returns the number of evaluations. */
  onSnapshot(snapshot: OrderBookSnapshot, now: number = this.clock.now()): number {
    if (!this.market.updateSnapshot(snapshot)) return 0;
    return this.onBookUpdate(snapshot.exchange, snapshot.symbol, now);
  }

  /** Hands in provider health (instrument states). Call it whenever health changes, or on each tick. */
  updateHealth(health: ProviderHealth): void {
    this.market.updateHealth(health);
  }

  /** Evaluates every asset a book update on (exchange, symbol) touches. Returns the number of evaluations. */
  onBookUpdate(exchange: string, symbol: string, now: number = this.clock.now()): number {
    const touched = this.routes.get(exchange)?.get(symbol);
    if (!touched) return 0;
    for (let i = 0; i < touched.length; i++) this.evaluateState(touched[i]!, now);
    return touched.length;
  }

  /**
   * Evaluates one asset. The returned decision is a live record, overwritten by the next
   * evaluation of the same asset: keep a `copyDecision(decision)` instead.
   */
  evaluate(asset: string, now: number = this.clock.now()): EngineDecision {
    const state = this.assetsByName.get(asset);
    if (!state) {
      throw new ConfigError(
        `"${asset}" is not a configured asset; configured: ${[...this.assetsByName.keys()].join(', ')}`,
      );
    }
    return this.evaluateState(state, now);
  }

  /** Evaluates every asset: the slow tick that covers max holding time and legs that went quiet. */
  tick(now: number = this.clock.now()): void {
    for (let i = 0; i < this.assets.length; i++) this.evaluateState(this.assets[i]!, now);
  }

  /** Forgets the evaluation-time histogram, e.g. after a warm-up. */
  resetEvaluationStats(): void {
    this.histogram.reset();
  }

  lastDecision(asset: string): EngineDecision | undefined {
    const decision = this.assetsByName.get(asset)?.decision;
    return decision && !Number.isNaN(decision.at) ? decision : undefined;
  }

  /** No new pairs from now on (closing continues). For shutdown, or a person's pause. */
  stopOpening(reason = 'stopped'): void {
    this.openingStopped ??= reason;
  }

  /** Lifts a `stopOpening(reason)` made with the same reason; any other stop stays. */
  resumeOpening(reason: string): void {
    if (this.openingStopped === reason) this.openingStopped = undefined;
  }

  /** Stops opening, cancels every active order and detaches from the broker. Leaves no timer. */
  stop(reason = 'stopped'): void {
    this.stopOpening(reason);
    this.broker.cancelAll();
    this.unsubscribeFills();
  }

  /** Called when a pair has opened (its orders filled), closed, or failed to open. Returns unsubscribe. */
  onTradeEvent(listener: (event: TradeEvent) => void): () => void {
    return this.execution.onTradeEvent(listener);
  }

  /** Pairs not closed, then the most recent closed ones. */
  trades(): readonly TradeView[] {
    const open: TradeView[] = [];
    for (const state of this.assets) open.push(...state.trades);
    return [...open, ...this.execution.closedTrades()];
  }

  pnl(): PnlReport {
    const usdtKrw = this.currentUsdtKrw();
    let unrealisedKrw = 0;
    let unrealisedUsd = 0;
    for (const state of this.assets) {
      for (const trade of state.trades) {
        if (!trade.hasPosition()) continue;
        const value = trade.valueAt(
          usdtKrw,
          markFor(trade.krw.position, state.krw.snapshot, trade.krw.lastFillPrice),
          markFor(trade.usdt.position, state.usdt.snapshot, trade.usdt.lastFillPrice),
        );
        unrealisedKrw += value.krw;
        unrealisedUsd += value.usd;
      }
    }
    const { realisedKrw, realisedUsd } = this.execution;
    return {
      realisedKrw,
      realisedUsd,
      unrealisedKrw,
      unrealisedUsd,
      totalKrw: realisedKrw + unrealisedKrw,
      totalUsd: realisedUsd + unrealisedUsd,
      usdtKrw,
    };
  }

  summary(): EngineSummary {
    const premiums: Record<string, AssetPremiumSummary> = {};
    for (const state of this.assets) premiums[state.config.asset] = this.premiumSummary(state);
    return {
      mode: 'paper',
      at: this.clock.now(),
      evaluations: this.histogram.summary(),
      trades: {
        opened: this.execution.opened,
        closed: this.execution.closed,
        openFailed: this.execution.openFailed,
        open: this.execution.openTrades,
        closedBy: this.execution.closeReasons.toRecord(),
      },
      pnl: this.pnl(),
      activeOrders: this.broker.activeOrderCount(),
      skipReasons: this.skipCounts.toRecord(),
      guardRefusals: this.guard.refusals(),
      halt: this.guard.haltState(),
      openingStopped: this.openingStopped,
      balances: this.broker.balances(),
      orders: this.broker.stats(),
      premiums,
    };
  }

  private premiumSummary(state: AssetState): AssetPremiumSummary {
    const quote = state.quote;
    const reference = this.referencePremium(state);
    const { entry, exit } = this.config;
    const opensAt = (direction: Direction): number =>
      openingPremium(
        quote,
        direction,
        convergenceTarget(direction, reference, exit.convergenceBand),
        entry.minExpectedProfit,
      );
    return {
      midPremium: quote.midPremium,
      sellKrwNet: quote.sellKrw.netPremium,
      buyKrwNet: quote.buyKrw.netPremium,
      current: quote.ok,
      at: state.quotedAt,
      reference,
      deviation: quote.midPremium - reference,
      breakEven: {
        sellKrw: breakEvenMove(quote, 'sell_krw_buy_usdt'),
        buyKrw: breakEvenMove(quote, 'buy_krw_sell_usdt'),
        fees: roundTripFees(this.config.fees),
      },
      opensAt: { sellKrw: opensAt('sell_krw_buy_usdt'), buyKrw: opensAt('buy_krw_sell_usdt') },
    };
  }

  private route(market: MarketRef, state: AssetState): void {
    let symbols = this.routes.get(market.exchange);
    if (!symbols) {
      symbols = new Map();
      this.routes.set(market.exchange, symbols);
    }
    const list = symbols.get(market.symbol);
    if (list) list.push(state);
    else symbols.set(market.symbol, [state]);
  }

  private evaluateState(state: AssetState, now: number): EngineDecision {
    const started = process.hrtime.bigint();
    const decision = state.decision;
    decision.reset(now);
    this.decide(state, now, decision);
    if (decision.reason !== undefined) this.skipCounts.increment(decision.reason);
    this.histogram.record(Number(process.hrtime.bigint() - started));
    return decision;
  }

  private decide(state: AssetState, now: number, decision: MutableDecision): void {
    if (state.pendingOrders > 0) {
      decision.kind = 'wait';
      decision.reason = 'orders_pending';
      return;
    }
    const legProblem = this.checkLegs(state, now, decision);
    if (legProblem !== undefined) {
      decision.reason = legProblem;
      state.quote.ok = false;
      return;
    }
    const conversion = this.conversionSlot ? this.conversionSlot.snapshot! : this.fxRate;
    const quote = state.quote;
    if (
      !computePremium(
        state.krw.snapshot!,
        state.usdt.snapshot!,
        conversion,
        state.config.tradeSize,
        this.config.fees,
        quote,
      )
    ) {
      decision.reason = 'insufficient_depth';
      return;
    }
    state.quotedAt = now;
    // The quote priced both directions, so the USDT/KRW book has both sides: its mid is the rate.
    state.usdtKrw = typeof conversion === 'number' ? conversion : bookMid(conversion);
    this.lastUsdtKrw = state.usdtKrw;
    state.baseline.record((1 + quote.midPremium) * state.usdtKrw, now);
    const reference = this.referencePremium(state);
    decision.reference = reference;
    if (this.closeDue(state, now, decision, reference)) return;
    if (this.openingStopped !== undefined) {
      decision.reason = 'opening_stopped';
      return;
    }
    if (Number.isNaN(reference)) {
      decision.reason = 'baseline_warming_up';
      return;
    }
    const band = this.config.exit.convergenceBand;
    let best: Direction | undefined;
    let bestProfit = Number.NEGATIVE_INFINITY;
    for (const direction of this.config.directions) {
      const profit = expectedProfit(quote, direction, convergenceTarget(direction, reference, band));
      if (profit > bestProfit) {
        bestProfit = profit;
        best = direction;
      }
    }
    decision.direction = best;
    decision.expectedProfit = bestProfit;
    // Also false for NaN: a quote that cannot be judged opens nothing.
    if (best === undefined || !(bestProfit >= this.config.entry.minExpectedProfit)) {
      decision.reason = 'below_threshold';
      return;
    }
    this.open(state, best, now, decision);
  }

  /** Checks every leg's book; sets `decision.leg` and returns the reason on the first bad one. */
  private checkLegs(state: AssetState, now: number, decision: MutableDecision): SkipReason | undefined {
    const conversion = this.conversionSlot;
    let leg: BookSlot = state.krw;
    let problem = checkLeg(leg);
    if (problem === undefined) {
      leg = state.usdt;
      problem = checkLeg(leg);
    }
    if (problem === undefined && conversion) {
      leg = conversion;
      problem = checkLeg(leg);
    }
    if (problem !== undefined) {
      decision.leg = leg;
      return problem;
    }
    let oldest = state.krw;
    if (state.usdt.snapshot!.receivedAt < oldest.snapshot!.receivedAt) oldest = state.usdt;
    if (conversion && conversion.snapshot!.receivedAt < oldest.snapshot!.receivedAt) oldest = conversion;
    if (!this.guard.checkBookAge(now - oldest.snapshot!.receivedAt)) {
      decision.leg = oldest;
      return 'leg_stale';
    }
    return undefined;
  }

  /** Sends unwinding orders for every open pair of `state` whose close is due. True when any was sent. */
  private closeDue(state: AssetState, now: number, decision: MutableDecision, reference: number): boolean {
    let closing = false;
    // Backwards: a pair that closes at once (only dust left) leaves the array.
    for (let i = state.trades.length - 1; i >= 0; i--) {
      const trade = state.trades[i]!;
      if (trade.state !== 'open') continue;
      const reason = trade.closeReason ?? this.closeReason(trade, state, now);
      if (reason === undefined) continue;
      trade.closeReason = reason;
      if (this.execution.unwind(state, trade, now, this.exitMarks(state, trade, now, reference))) {
        closing = true;
        decision.kind = 'close';
        decision.tradeId = trade.id;
        decision.direction = trade.direction;
      }
    }
    return closing;
  }

  /**
   * Converged when the mid premium is back at the target the pair opened with, stop when it has
   * moved `stopLoss` against the pair since entry, time when held `maxHoldingMs`; target and entry
   * premium are re-stated at today's USDT/KRW rate (`repriced`). The target is not moved with the
   * reference: a rolling reference creeps towards a long spike, and following it closes pairs at a
   * loss in the name of convergence (measured: five demo runs went from +80 000 KRW to −35 000
   * KRW); a level that has really moved is what the stop and the holding time are for.
   */
  private closeReason(trade: HedgedTrade, state: AssetState, now: number): CloseReason | undefined {
    const { exit } = this.config;
    const { direction, entry } = trade;
    const rate = state.usdtKrw;
    const seen = pairPremium(direction, state.quote.midPremium);
    if (seen <= pairPremium(direction, repriced(entry.target, entry.usdtKrw, rate))) return 'converged';
    const atEntry = pairPremium(direction, repriced(entry.midPremium, entry.usdtKrw, rate));
    if (seen - atEntry >= exit.stopLoss) return 'stop_loss';
    if (now - trade.openedAt >= exit.maxHoldingMs) return 'max_holding';
    return undefined;
  }

  private exitMarks(state: AssetState, trade: HedgedTrade, now: number, reference: number): PairMarks {
    return {
      at: now,
      netPremium: exitPremium(state.quote, trade.direction),
      midPremium: state.quote.midPremium,
      usdtKrw: state.usdtKrw,
      reference,
      krwMid: bookMid(state.krw.snapshot!),
      usdtMid: bookMid(state.usdt.snapshot!),
    };
  }

  private open(state: AssetState, direction: Direction, now: number, decision: MutableDecision): void {
    const asset = state.config;
    const quote = directionQuote(state.quote, direction);
    let assetPosition = 0;
    for (const trade of state.trades) assetPosition += trade.size;
    const refusal = this.guard.checkOpen(
      {
        asset: asset.asset,
        size: asset.tradeSize,
        notionalUsd: asset.tradeSize * quote.usdtPrice,
        openTrades: this.execution.openTrades,
        assetPosition,
        orders: 2,
      },
      now,
    );
    if (refusal !== undefined) {
      decision.reason = RISK_SKIP_REASONS[refusal];
      return;
    }
    const pair = this.execution.prepare(state, direction, quote);
    const rejected = this.broker.check(pair.krw) ?? this.broker.check(pair.usdt);
    if (rejected !== undefined) {
      decision.reason = ORDER_SKIP_REASONS[rejected];
      return;
    }
    const entry: EntryMarks = {
      at: now,
      netPremium: quote.netPremium,
      midPremium: state.quote.midPremium,
      usdtKrw: state.usdtKrw,
      reference: decision.reference,
      krwMid: bookMid(state.krw.snapshot!),
      usdtMid: bookMid(state.usdt.snapshot!),
      target: convergenceTarget(direction, decision.reference, this.config.exit.convergenceBand),
      expectedProfit: decision.expectedProfit,
    };
    const trade = this.execution.open(state, pair, direction, entry, now);
    decision.kind = 'open';
    decision.tradeId = trade.id;
  }

  /**
   * The asset's usual premium at today's USDT/KRW rate. The reference keeps the KRW-per-USDT rate
   * the asset's two prices imply (krwMid / usdtMid = usdtKrw × (1 + premium)), not the premium: a
   * pair has no USDT/KRW leg and earns only moves of that implied rate, so a move of USDT/KRW
   * alone must neither open a pair nor look like convergence. A fixed reference is a premium as is.
   */
  private referencePremium(state: AssetState): number {
    const level = state.baseline.value();
    return this.config.baseline.mode === 'fixed' ? level : level / state.usdtKrw - 1;
  }

  private currentUsdtKrw(): number {
    const book = this.conversionSlot?.snapshot;
    const mid = book ? bookMid(book) : Number.NaN;
    return Number.isNaN(mid) ? this.lastUsdtKrw : mid;
  }
}

/** Where an open leg would unwind: a long sells at the best bid, a short buys at the best ask. */
function markFor(position: number, book: OrderBookSnapshot | undefined, fallback: number): number {
  if (position === 0) return 0;
  const level: PriceLevel | undefined = position > 0 ? book?.bids[0] : book?.asks[0];
  return level ? level[0] : fallback;
}
