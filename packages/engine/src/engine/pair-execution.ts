import type { Clock, Logger } from '@arbitrage/core';
import type { FillReport, OrderRequest } from '../paper/orders.js';
import type { PaperBroker } from '../paper/paper-broker.js';
import type { DirectionQuote } from '../premium.js';
import { ReasonCounts } from '../reason-counts.js';
import type { RiskGuard } from '../risk/risk-guard.js';
import {
  type CloseReason,
  type EntryMarks,
  HedgedTrade,
  type PairMarks,
  type TradeView,
} from '../trade/hedged-trade.js';
import type { Direction } from '../types.js';
import { fullFillPrice } from '../vwap.js';
import type { RouteState } from './asset-state.js';
import { RouteTally } from './route-tally.js';

export type TradeEvent =
  | { readonly type: 'opened'; readonly trade: TradeView }
  | { readonly type: 'closed'; readonly trade: TradeView }
  | { readonly type: 'open_failed'; readonly trade: TradeView };

/** The two orders of a pair about to open, for the broker's pre-checks. */
export interface PreparedPair {
  readonly id: string;
  readonly krw: OrderRequest;
  readonly usdt: OrderRequest;
}

export interface PairExecutionOptions {
  readonly broker: PaperBroker;
  readonly guard: RiskGuard;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Closed pairs kept for `closedTrades()`. */
  readonly closedTradeHistory: number;
  /** Every route, by name, with its two exchanges: pairs are counted per route. */
  readonly routes: readonly { readonly name: string; readonly krw: string; readonly usdt: string }[];
}

/** Positions within this fraction of the trade size count as equal (float residue of partial walks). */
const HEDGE_TOLERANCE = 1e-9;

/**
 * Sends pairs and their unwinds to the paper broker, follows their fills from opening to open to
 * closed, realises PnL (and reports it to the RiskGuard) and keeps the counts. Decisions are the
 * engine's; this only carries them out.
 */
export class PairExecution {
  opened = 0;
  closed = 0;
  openFailed = 0;
  /** Pairs not closed (opening, open or closing), across assets. */
  openTrades = 0;
  realisedKrw = 0;
  realisedUsd = 0;
  /** Closed pairs by why they closed. */
  readonly closeReasons = new ReasonCounts<CloseReason>();
  /** Counts and realised PnL per route. */
  readonly routes = new Map<string, RouteTally>();
  private readonly tradesById = new Map<string, { trade: HedgedTrade; route: RouteState }>();
  private readonly closedHistory: HedgedTrade[] = [];
  private readonly listeners = new Set<(event: TradeEvent) => void>();
  private nextTradeId = 1;

  constructor(private readonly options: PairExecutionOptions) {
    for (const route of options.routes) this.routes.set(route.name, new RouteTally(route.krw, route.usdt));
  }

  onTradeEvent(listener: (event: TradeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The most recent closed pairs, oldest first. */
  closedTrades(): readonly HedgedTrade[] {
    return this.closedHistory;
  }

  /** The orders a pair in `direction` on `route` would send, priced at the quote's VWAPs. */
  prepare(route: RouteState, direction: Direction, quote: DirectionQuote): PreparedPair {
    const asset = route.asset.config;
    const id = `T${this.nextTradeId}-${asset.asset}`;
    const sellsKrw = direction === 'sell_krw_buy_usdt';
    return {
      id,
      krw: {
        ...route.markets.krw,
        side: sellsKrw ? 'sell' : 'buy',
        size: asset.tradeSize,
        decisionPrice: quote.krwPrice,
        tag: id,
      },
      usdt: {
        ...route.markets.usdt,
        side: sellsKrw ? 'buy' : 'sell',
        size: asset.tradeSize,
        decisionPrice: quote.usdtPrice,
        tag: id,
      },
    };
  }

  /** Sends both orders of a prepared pair (already cleared by the RiskGuard and the broker's checks). */
  open(
    route: RouteState,
    pair: PreparedPair,
    direction: Direction,
    entry: EntryMarks,
    now: number,
  ): HedgedTrade {
    const asset = route.asset.config;
    this.nextTradeId++;
    const trade = new HedgedTrade(
      pair.id,
      asset.asset,
      route.name,
      direction,
      asset.tradeSize,
      now,
      entry,
      route.markets.krw,
      route.markets.usdt,
    );
    route.asset.trades.push(trade);
    this.tradesById.set(trade.id, { trade, route });
    this.openTrades++;
    this.opened++;
    const tally = this.tally(route);
    tally.opened++;
    tally.open++;
    this.options.guard.recordOrders(2, now);
    const sentKrw = this.send(route, trade, pair.krw);
    const sentUsdt = this.send(route, trade, pair.usdt);
    if (!sentKrw && !sentUsdt) {
      // Both passed broker.check a moment ago; kept so that a pair can never hang in 'opening'.
      this.failOpen(route, trade, now);
    }
    this.options.logger.info(
      {
        tradeId: trade.id,
        asset: asset.asset,
        route: route.name,
        direction,
        netPremium: entry.netPremium,
        midPremium: entry.midPremium,
        reference: entry.reference,
        expectedProfit: entry.expectedProfit,
        size: asset.tradeSize,
      },
      'opening hedged pair',
    );
    return trade;
  }

  /** Sends an order for every leg still holding a position, on the pair's route. True when any was sent. */
  unwind(route: RouteState, trade: HedgedTrade, now: number, marks: PairMarks): boolean {
    trade.exit = marks;
    let sent = 0;
    let unclosable = 0;
    for (const leg of trade.legs()) {
      if (leg.position === 0) continue;
      const slot = leg === trade.krw ? route.krw : route.usdt;
      const side = leg.position > 0 ? 'sell' : 'buy';
      const size = Math.abs(leg.position);
      const levels = side === 'sell' ? slot.snapshot?.bids : slot.snapshot?.asks;
      const walked = levels ? fullFillPrice(levels, size) : Number.NaN;
      const order: OrderRequest = {
        exchange: leg.exchange,
        symbol: leg.symbol,
        side,
        size,
        decisionPrice: Number.isFinite(walked) ? walked : leg.lastFillPrice,
        tag: trade.id,
      };
      const rejected = this.options.broker.check(order);
      if (rejected === 'below_lot_size' || rejected === 'below_min_notional') continue;
      if (rejected !== undefined || !this.send(route, trade, order)) {
        unclosable++;
        if (!trade.unwindBlocked) {
          this.options.logger.warn(
            { tradeId: trade.id, exchange: leg.exchange, reason: rejected },
            'cannot unwind this leg yet; retrying on every evaluation',
          );
        }
        trade.unwindBlocked = true;
        continue;
      }
      trade.state = 'closing';
      sent++;
    }
    if (sent > 0) this.options.guard.recordOrders(sent, now);
    else if (unclosable === 0) this.finishClose(route, trade, now);
    return sent > 0;
  }

  /** The broker's fill listener. */
  handleFill(fill: FillReport): void {
    const entry = fill.tag === undefined ? undefined : this.tradesById.get(fill.tag);
    if (!entry) return;
    const { trade, route } = entry;
    trade.applyFill(fill);
    trade.pendingOrders--;
    route.asset.pendingOrders--;
    if (trade.pendingOrders > 0) return;
    const now = this.options.clock.now();
    if (trade.state === 'opening') {
      if (!trade.hasPosition()) {
        this.failOpen(route, trade, now);
        return;
      }
      trade.state = 'open';
      if (!trade.isHedged(trade.size * HEDGE_TOLERANCE)) trade.closeReason = 'unhedged';
      this.emit({ type: 'opened', trade });
    } else if (trade.state === 'closing') {
      trade.state = 'open';
      if (this.isFlat(trade)) this.finishClose(route, trade, now);
    }
  }

  /** Submits one order of `trade`; true when the broker accepted it (its fill will come back). */
  private send(route: RouteState, trade: HedgedTrade, order: OrderRequest): boolean {
    const placed = this.options.broker.submit(order);
    if (placed.status !== 'active') return false;
    trade.pendingOrders++;
    route.asset.pendingOrders++;
    return true;
  }

  /** Flat when nothing is left on either leg that could still be sent (dust under lot / min notional). */
  private isFlat(trade: HedgedTrade): boolean {
    for (const leg of trade.legs()) {
      if (leg.position === 0) continue;
      const rejected = this.options.broker.check({
        exchange: leg.exchange,
        symbol: leg.symbol,
        side: leg.position > 0 ? 'sell' : 'buy',
        size: Math.abs(leg.position),
        decisionPrice: leg.lastFillPrice,
      });
      if (rejected !== 'below_lot_size' && rejected !== 'below_min_notional') return false;
    }
    return true;
  }

  private failOpen(route: RouteState, trade: HedgedTrade, now: number): void {
    trade.closeReason = 'open_failed';
    this.retire(route, trade, now);
    this.openFailed++;
    this.tally(route).openFailed++;
    this.emit({ type: 'open_failed', trade });
  }

  /** Realises the pair's PnL at its KRW venue's latest USDT/KRW rate. */
  private finishClose(route: RouteState, trade: HedgedTrade, now: number): void {
    const pnl = trade.close(now, route.conversion.lastRate);
    const tally = this.tally(route);
    this.realisedKrw += pnl.krw;
    this.realisedUsd += pnl.usd;
    tally.realisedKrw += pnl.krw;
    tally.realisedUsd += pnl.usd;
    this.closed++;
    tally.closed++;
    if (trade.closeReason) {
      this.closeReasons.increment(trade.closeReason);
      tally.closeReasons.increment(trade.closeReason);
    }
    this.retire(route, trade, now);
    this.options.guard.recordRealisedPnl(pnl.usd, now);
    this.options.logger.info(
      {
        tradeId: trade.id,
        route: route.name,
        reason: trade.closeReason,
        pnlKrw: pnl.krw,
        pnlUsd: pnl.usd,
        feesKrw: trade.costs?.feesKrw,
        spreadKrw: trade.costs?.spreadKrw,
      },
      'closed pair',
    );
    this.emit({ type: 'closed', trade });
  }

  private retire(route: RouteState, trade: HedgedTrade, now: number): void {
    trade.state = 'closed';
    trade.closedAt ??= now;
    const trades = route.asset.trades;
    trades.splice(trades.indexOf(trade), 1);
    this.tradesById.delete(trade.id);
    this.openTrades--;
    this.tally(route).open--;
    this.closedHistory.push(trade);
    if (this.closedHistory.length > this.options.closedTradeHistory) this.closedHistory.shift();
  }

  private tally(route: RouteState): RouteTally {
    return this.routes.get(route.name)!;
  }

  private emit(event: TradeEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.logger.error({ err: error, event: event.type }, 'a trade-event listener threw');
      }
    }
  }
}
