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
import type { AssetState, ConversionState, RouteState } from './asset-state.js';
import {
  type EngineDecision,
  MutableDecision,
  ORDER_SKIP_REASONS,
  RISK_SKIP_REASONS,
  type SkipReason,
} from './decision.js';
import { PairExecution, type TradeEvent } from './pair-execution.js';
import type { RouteTradeSummary } from './route-tally.js';
import type { AssetPremiumSummary, EngineSummary, PnlReport } from './summary.js';

export interface ArbitrageEngineOptions {
  readonly config: EngineConfig;
  /**
   * The venues of each leg, one or a list per role: exchange ids, quote currencies and taker fees
   * come from here. Every KRW venue is paired with every USDT venue (a route).
   */
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

/** What a book update on one market touches: the routes it re-prices and their assets, each once. */
interface Touched {
  readonly routes: RouteState[];
  readonly assets: AssetState[];
}

/**
 * The arbitrage loop's logic, without sockets: hand it snapshots (and health) and it decides, per
 * asset and per book update, whether to open a hedged pair, close one, or skip — and says why.
 * Every KRW venue × USDT venue is a route with its own quote and reference per asset; a book update
 * re-prices the routes it touches, and an asset opens on the route with the best expected profit.
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
  /** exchange → symbol → the routes (and their assets) a book update there touches. */
  private readonly touches = new Map<string, Map<string, Touched>>();
  /** One per KRW venue, in configured order. */
  private readonly conversions: ConversionState[] = [];
  private readonly fxRate: number;
  private readonly skipCounts = new ReasonCounts<SkipReason>();
  private readonly histogram = new LatencyHistogram();
  private readonly execution: PairExecution;
  private readonly unsubscribeFills: () => void;
  private openingStopped: string | undefined;
  /** The leg `legProblem` last found bad. */
  private badLeg: BookSlot | undefined;

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
    const conversions = new Map<string, ConversionState>();
    for (const route of this.config.routes) {
      if (conversions.has(route.krw)) continue;
      const market = route.conversionMarket;
      const state: ConversionState = {
        slot: market ? this.market.track(market.exchange, market.symbol) : undefined,
        lastRate: this.fxRate,
      };
      conversions.set(route.krw, state);
      this.conversions.push(state);
    }

    this.assets = this.config.assets.map((asset) => {
      const quotes = asset.routes.map(() => new MutablePremiumQuote());
      const state: AssetState = {
        config: asset,
        routes: [],
        decision: new MutableDecision(asset.asset, quotes[0]!),
        trades: [],
        pendingOrders: 0,
      };
      asset.routes.forEach((markets, index) => {
        const route: RouteState = {
          name: markets.route.name,
          asset: state,
          markets,
          fees: markets.route.fees,
          krw: this.market.track(markets.krw.exchange, markets.krw.symbol),
          usdt: this.market.track(markets.usdt.exchange, markets.usdt.symbol),
          conversion: conversions.get(markets.route.krw)!,
          quote: quotes[index]!,
          quotedAt: Number.NaN,
          baseline: createBaseline(this.config.baseline),
          usdtKrw: Number.NaN,
          dirty: false,
          priced: false,
          pricedKrw: undefined,
          pricedUsdt: undefined,
          pricedConversion: undefined,
        };
        state.routes.push(route);
        this.subscribe(markets.krw, route);
        this.subscribe(markets.usdt, route);
        if (route.conversion.slot) this.subscribe(route.conversion.slot, route);
      });
      this.assetsByName.set(asset.asset, state);
      return state;
    });
    this.execution = new PairExecution({
      broker: this.broker,
      guard: this.guard,
      clock: this.clock,
      logger: this.logger,
      closedTradeHistory: options.closedTradeHistory ?? 1000,
      routes: this.config.routes,
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

  /**
   * Evaluates every asset a book update on (exchange, symbol) touches, re-pricing only the routes
   * that read that book. Returns the number of evaluations (one per asset).
   */
  onBookUpdate(exchange: string, symbol: string, now: number = this.clock.now()): number {
    const touched = this.touches.get(exchange)?.get(symbol);
    if (!touched) return 0;
    const { routes, assets } = touched;
    for (let i = 0; i < routes.length; i++) routes[i]!.dirty = true;
    for (let i = 0; i < assets.length; i++) this.evaluateState(assets[i]!, now);
    return assets.length;
  }

  /**
   * Evaluates one asset on every route. The returned decision is a live record, overwritten by the
   * next evaluation of the same asset: keep a `copyDecision(decision)` instead.
   */
  evaluate(asset: string, now: number = this.clock.now()): EngineDecision {
    const state = this.assetsByName.get(asset);
    if (!state) {
      throw new ConfigError(
        `"${asset}" is not a configured asset; configured: ${[...this.assetsByName.keys()].join(', ')}`,
      );
    }
    markAll(state);
    return this.evaluateState(state, now);
  }

  /** Evaluates every asset on every route: the slow tick that covers max holding time and legs that went quiet. */
  tick(now: number = this.clock.now()): void {
    for (let i = 0; i < this.assets.length; i++) {
      const state = this.assets[i]!;
      markAll(state);
      this.evaluateState(state, now);
    }
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
    let unrealisedKrw = 0;
    let unrealisedUsd = 0;
    for (const state of this.assets) {
      for (const route of state.routes) {
        const usdtKrw = rateOf(route.conversion);
        for (const trade of state.trades) {
          if (trade.route !== route.name || !trade.hasPosition()) continue;
          const value = trade.valueAt(
            usdtKrw,
            markFor(trade.krw.position, route.krw.snapshot, trade.krw.lastFillPrice),
            markFor(trade.usdt.position, route.usdt.snapshot, trade.usdt.lastFillPrice),
          );
          unrealisedKrw += value.krw;
          unrealisedUsd += value.usd;
        }
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
      usdtKrw: rateOf(this.conversions[0]!),
    };
  }

  summary(): EngineSummary {
    const premiums: Record<string, Record<string, AssetPremiumSummary>> = {};
    for (const state of this.assets) {
      const routes: Record<string, AssetPremiumSummary> = {};
      for (const route of state.routes) routes[route.name] = this.premiumSummary(route);
      premiums[state.config.asset] = routes;
    }
    const byRoute: Record<string, RouteTradeSummary> = {};
    for (const [name, tally] of this.execution.routes) byRoute[name] = tally.summary();
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
        byRoute,
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

  private premiumSummary(route: RouteState): AssetPremiumSummary {
    const quote = route.quote;
    const reference = this.referencePremium(route);
    const { entry, exit } = this.config;
    const opensAt = (direction: Direction): number =>
      openingPremium(
        quote,
        direction,
        convergenceTarget(direction, reference, exit.convergenceBand),
        entry.minExpectedProfit,
      );
    return {
      route: route.name,
      midPremium: quote.midPremium,
      sellKrwNet: quote.sellKrw.netPremium,
      buyKrwNet: quote.buyKrw.netPremium,
      current: quote.ok,
      at: route.quotedAt,
      reference,
      deviation: quote.midPremium - reference,
      breakEven: {
        sellKrw: breakEvenMove(quote, 'sell_krw_buy_usdt'),
        buyKrw: breakEvenMove(quote, 'buy_krw_sell_usdt'),
        fees: roundTripFees(route.fees),
      },
      opensAt: { sellKrw: opensAt('sell_krw_buy_usdt'), buyKrw: opensAt('buy_krw_sell_usdt') },
    };
  }

  private subscribe(market: MarketRef, route: RouteState): void {
    let symbols = this.touches.get(market.exchange);
    if (!symbols) {
      symbols = new Map();
      this.touches.set(market.exchange, symbols);
    }
    let touched = symbols.get(market.symbol);
    if (!touched) {
      touched = { routes: [], assets: [] };
      symbols.set(market.symbol, touched);
    }
    if (!touched.routes.includes(route)) touched.routes.push(route);
    if (!touched.assets.includes(route.asset)) touched.assets.push(route.asset);
  }

  private evaluateState(state: AssetState, now: number): EngineDecision {
    const started = process.hrtime.bigint();
    const decision = state.decision;
    decision.reset(now);
    this.decide(state, now, decision);
    const routes = state.routes;
    for (let i = 0; i < routes.length; i++) routes[i]!.priced = false;
    if (decision.reason !== undefined) this.skipCounts.increment(decision.reason);
    this.histogram.record(Number(process.hrtime.bigint() - started));
    return decision;
  }

  /**
   * Re-prices the routes marked dirty, closes their pairs that are due, then opens on the route with
   * the best expected profit: a re-priced route, or another whose quote (its books unchanged since)
   * is still on usable legs.
   */
  private decide(state: AssetState, now: number, decision: MutableDecision): void {
    if (state.pendingOrders > 0) {
      decision.kind = 'wait';
      decision.reason = 'orders_pending';
      return;
    }
    const routes = state.routes;
    let firstPriced: RouteState | undefined;
    let problem: SkipReason | undefined;
    for (let i = 0; i < routes.length; i++) {
      const route = routes[i]!;
      if (!route.dirty && !booksMoved(route)) continue;
      route.dirty = false;
      route.priced = true;
      const routeProblem = this.price(route, now);
      if (routeProblem === undefined) {
        firstPriced ??= route;
      } else if (problem === undefined) {
        problem = routeProblem;
        decision.route = route.name;
        decision.premium = route.quote;
        if (routeProblem !== 'insufficient_depth') decision.leg = this.badLeg;
      }
    }
    if (firstPriced === undefined) {
      decision.reason = problem;
      return;
    }
    decision.leg = undefined;
    decision.route = firstPriced.name;
    decision.premium = firstPriced.quote;
    decision.reference = this.referencePremium(firstPriced);
    let closing = false;
    for (let i = 0; i < routes.length; i++) {
      const route = routes[i]!;
      if (route.priced && route.quote.ok && this.closeDue(route, now, decision)) closing = true;
    }
    if (closing) return;
    if (this.openingStopped !== undefined) {
      decision.reason = 'opening_stopped';
      return;
    }
    this.openBest(state, now, decision);
  }

  /** Opens on the route and direction with the best expected profit, if it clears the entry rule. */
  private openBest(state: AssetState, now: number, decision: MutableDecision): void {
    const routes = state.routes;
    const band = this.config.exit.convergenceBand;
    const directions = this.config.directions;
    let bestRoute: RouteState | undefined;
    let best: Direction | undefined;
    let bestProfit = Number.NEGATIVE_INFINITY;
    let bestReference = Number.NaN;
    let warm = false;
    for (let i = 0; i < routes.length; i++) {
      const route = routes[i]!;
      if (!route.quote.ok) continue;
      // A route not re-priced now still has the quote of its current books, if its legs are usable.
      if (!route.priced && this.legProblem(route, now, false) !== undefined) continue;
      const reference = this.referencePremium(route);
      if (Number.isNaN(reference)) continue;
      warm = true;
      for (let d = 0; d < directions.length; d++) {
        const direction = directions[d]!;
        const profit = expectedProfit(route.quote, direction, convergenceTarget(direction, reference, band));
        if (profit > bestProfit) {
          bestProfit = profit;
          best = direction;
          bestRoute = route;
          bestReference = reference;
        }
      }
    }
    if (!warm) {
      decision.reason = 'baseline_warming_up';
      return;
    }
    if (bestRoute !== undefined) {
      decision.route = bestRoute.name;
      decision.premium = bestRoute.quote;
      decision.reference = bestReference;
    }
    decision.direction = best;
    decision.expectedProfit = bestProfit;
    // Also false for NaN: a quote that cannot be judged opens nothing.
    if (
      bestRoute === undefined ||
      best === undefined ||
      !(bestProfit >= this.config.entry.minExpectedProfit)
    ) {
      decision.reason = 'below_threshold';
      return;
    }
    this.open(bestRoute, best, now, decision);
  }

  /**
   * Checks the route's legs and prices it: quote, USDT/KRW rate, and a sample for its reference.
   * Returns why it could not (the bad leg in `badLeg`).
   */
  private price(route: RouteState, now: number): SkipReason | undefined {
    route.pricedKrw = route.krw.snapshot;
    route.pricedUsdt = route.usdt.snapshot;
    route.pricedConversion = route.conversion.slot?.snapshot;
    const legProblem = this.legProblem(route, now, true);
    if (legProblem !== undefined) {
      route.quote.ok = false;
      return legProblem;
    }
    const slot = route.conversion.slot;
    const conversion = slot ? slot.snapshot! : this.fxRate;
    const quote = route.quote;
    const tradeSize = route.asset.config.tradeSize;
    if (
      !computePremium(route.krw.snapshot!, route.usdt.snapshot!, conversion, tradeSize, route.fees, quote)
    ) {
      return 'insufficient_depth';
    }
    route.quotedAt = now;
    // The quote priced both directions, so the USDT/KRW book has both sides: its mid is the rate.
    route.usdtKrw = typeof conversion === 'number' ? conversion : bookMid(conversion);
    route.conversion.lastRate = route.usdtKrw;
    route.baseline.record((1 + quote.midPremium) * route.usdtKrw, now);
    return undefined;
  }

  /**
   * Checks every leg's book of a route; returns the reason on the first bad one (kept in `badLeg`).
   * `countRefusal`: whether a book too old counts as the RiskGuard's stale_book refusal.
   */
  private legProblem(route: RouteState, now: number, countRefusal: boolean): SkipReason | undefined {
    const conversion = route.conversion.slot;
    let leg: BookSlot = route.krw;
    let problem = checkLeg(leg);
    if (problem === undefined) {
      leg = route.usdt;
      problem = checkLeg(leg);
    }
    if (problem === undefined && conversion) {
      leg = conversion;
      problem = checkLeg(leg);
    }
    if (problem !== undefined) {
      this.badLeg = leg;
      return problem;
    }
    let oldest = route.krw;
    if (route.usdt.snapshot!.receivedAt < oldest.snapshot!.receivedAt) oldest = route.usdt;
    if (conversion && conversion.snapshot!.receivedAt < oldest.snapshot!.receivedAt) oldest = conversion;
    const age = now - oldest.snapshot!.receivedAt;
    const fresh = countRefusal ? this.guard.checkBookAge(age) : age <= this.guard.limits.maxBookAgeMs;
    if (!fresh) {
      this.badLeg = oldest;
      return 'leg_stale';
    }
    return undefined;
  }

  /** Sends unwinding orders for every open pair on `route` whose close is due. True when any was sent. */
  private closeDue(route: RouteState, now: number, decision: MutableDecision): boolean {
    const trades = route.asset.trades;
    let closing = false;
    let reference = Number.NaN;
    // Backwards: a pair that closes at once (only dust left) leaves the array.
    for (let i = trades.length - 1; i >= 0; i--) {
      const trade = trades[i]!;
      if (trade.state !== 'open' || trade.route !== route.name) continue;
      const reason = trade.closeReason ?? this.closeReason(trade, route, now);
      if (reason === undefined) continue;
      trade.closeReason = reason;
      if (Number.isNaN(reference)) reference = this.referencePremium(route);
      if (this.execution.unwind(route, trade, now, this.exitMarks(route, trade, now, reference))) {
        closing = true;
        decision.kind = 'close';
        decision.route = route.name;
        decision.premium = route.quote;
        decision.reference = reference;
        decision.tradeId = trade.id;
        decision.direction = trade.direction;
      }
    }
    return closing;
  }

  /**
   * Converged when the route's mid premium is back at the target the pair opened with, stop when it
   * has moved `stopLoss` against the pair since entry, time when held `maxHoldingMs`; target and
   * entry premium are re-stated at today's USDT/KRW rate (`repriced`). The target is not moved with
   * the reference: a rolling reference creeps towards a long spike, and following it closes pairs at
   * a loss in the name of convergence (measured: five demo runs went from +80 000 KRW to −35 000
   * KRW); a level that has really moved is what the stop and the holding time are for.
   */
  private closeReason(trade: HedgedTrade, route: RouteState, now: number): CloseReason | undefined {
    const { exit } = this.config;
    const { direction, entry } = trade;
    const rate = route.usdtKrw;
    const seen = pairPremium(direction, route.quote.midPremium);
    if (seen <= pairPremium(direction, repriced(entry.target, entry.usdtKrw, rate))) return 'converged';
    const atEntry = pairPremium(direction, repriced(entry.midPremium, entry.usdtKrw, rate));
    if (seen - atEntry >= exit.stopLoss) return 'stop_loss';
    if (now - trade.openedAt >= exit.maxHoldingMs) return 'max_holding';
    return undefined;
  }

  private exitMarks(route: RouteState, trade: HedgedTrade, now: number, reference: number): PairMarks {
    return {
      at: now,
      netPremium: exitPremium(route.quote, trade.direction),
      midPremium: route.quote.midPremium,
      usdtKrw: route.usdtKrw,
      reference,
      krwMid: bookMid(route.krw.snapshot!),
      usdtMid: bookMid(route.usdt.snapshot!),
    };
  }

  private open(route: RouteState, direction: Direction, now: number, decision: MutableDecision): void {
    const state = route.asset;
    const asset = state.config;
    const quote = directionQuote(route.quote, direction);
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
    const pair = this.execution.prepare(route, direction, quote);
    const rejected = this.broker.check(pair.krw) ?? this.broker.check(pair.usdt);
    if (rejected !== undefined) {
      decision.reason = ORDER_SKIP_REASONS[rejected];
      return;
    }
    const entry: EntryMarks = {
      at: now,
      netPremium: quote.netPremium,
      midPremium: route.quote.midPremium,
      usdtKrw: route.usdtKrw,
      reference: decision.reference,
      krwMid: bookMid(route.krw.snapshot!),
      usdtMid: bookMid(route.usdt.snapshot!),
      target: convergenceTarget(direction, decision.reference, this.config.exit.convergenceBand),
      expectedProfit: decision.expectedProfit,
    };
    const trade = this.execution.open(route, pair, direction, entry, now);
    decision.kind = 'open';
    decision.tradeId = trade.id;
  }

  /**
   * The route's usual premium at today's USDT/KRW rate. The reference keeps the KRW-per-USDT rate
   * the asset's two prices on the route imply (krwMid / usdtMid = usdtKrw × (1 + premium)), not the
   * premium: a pair has no USDT/KRW leg and earns only moves of that implied rate, so a move of
   * USDT/KRW alone must neither open a pair nor look like convergence. A fixed reference is a
   * premium as is.
   */
  private referencePremium(route: RouteState): number {
    const level = route.baseline.value();
    return this.config.baseline.mode === 'fixed' ? level : level / route.usdtKrw - 1;
  }
}

/** Whether a book of the route was replaced since it was last priced (e.g. handed to the MarketView directly). */
function booksMoved(route: RouteState): boolean {
  return (
    route.krw.snapshot !== route.pricedKrw ||
    route.usdt.snapshot !== route.pricedUsdt ||
    route.conversion.slot?.snapshot !== route.pricedConversion
  );
}

function markAll(state: AssetState): void {
  for (let i = 0; i < state.routes.length; i++) state.routes[i]!.dirty = true;
}

/** KRW per USDT on a KRW venue now: its USDT/KRW mid, else the last priced rate (or the FX rate). */
function rateOf(conversion: ConversionState): number {
  const book = conversion.slot?.snapshot;
  const mid = book ? bookMid(book) : Number.NaN;
  return Number.isNaN(mid) ? conversion.lastRate : mid;
}

/** Where an open leg would unwind: a long sells at the best bid, a short buys at the best ask. */
function markFor(position: number, book: OrderBookSnapshot | undefined, fallback: number): number {
  if (position === 0) return 0;
  const level: PriceLevel | undefined = position > 0 ? book?.bids[0] : book?.asks[0];
  return level ? level[0] : fallback;
}
