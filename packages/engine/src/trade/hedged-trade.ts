import type { TradeSide } from '@arbitrage/core';
import type { FillReport } from '../paper/orders.js';
import { pairPremium } from '../strategy/round-trip.js';
import type { Direction, MarketRef } from '../types.js';

/**
 * - opening: both opening orders sent, fills pending;
 * - open: holding the pair (possibly unevenly, after partial fills);
 * - closing: unwinding orders sent, fills pending;
 * - closed: flat (or only dust below lot size / minimum notional is left), PnL realised.
 */
export type TradeState = 'opening' | 'open' | 'closing' | 'closed';

/**
 * Why a pair was (or is being) closed: the premium came back to its reference (`converged`), moved
 * too far against the pair (`stop_loss`), the pair was held too long (`max_holding`), its legs filled
 * unevenly (`unhedged`), or neither opening order filled (`open_failed`).
 */
export type CloseReason = 'converged' | 'stop_loss' | 'max_holding' | 'unhedged' | 'open_failed';

/** The market as the decision to open or to unwind a pair saw it. */
export interface PairMarks {
  readonly at: number;
  /** At entry the direction's net premium; at exit the pair's exit premium (see `exitPremium`). */
  readonly netPremium: number;
  /** Mid premium, no fees. */
  readonly midPremium: number;
  /** KRW per USDT the premiums were taken at (USDT/KRW mid, or the FX rate). */
  readonly usdtKrw: number;
  /** The asset's reference premium (NaN while it had none). */
  readonly reference: number;
  /** Mid of each leg's book: what crossing the spread is measured against. */
  readonly krwMid: number;
  readonly usdtMid: number;
}

export interface EntryMarks extends PairMarks {
  /** Mid premium at which the pair counts as converged, at the entry's `usdtKrw` (see `repriced`). */
  readonly target: number;
  /** Return expected if it closes at `target`, net of all four fees and both spreads. */
  readonly expectedProfit: number;
}

/**
 * Where a closed pair's money went, in KRW (USDT at the rate it was realised at):
 * pnl = capture − fees − spread, and capture = premium + rate.
 */
export interface CostBreakdown {
  /** What the pair earned between the mids at entry and exit. */
  readonly captureKrw: number;
  /** The part of it the premium's move explains: the USDT leg's KRW notional × the pair's premium move. */
  readonly premiumKrw: number;
  /**
   * The rest: a pair holds extra KRW and less USDT (or the reverse) until it closes, so it gains or
   * loses as USDT/KRW moves, while the premium measured against the USDT/KRW book moves the other way.
   */
  readonly rateKrw: number;
  /** Taker fees on all four orders. */
  readonly feesKrw: number;
  /** Crossing the spreads, walking the books and slippage during the fill latency, against those mids. */
  readonly spreadKrw: number;
  readonly pnlKrw: number;
}

export interface TradeLegView extends MarketRef {
  readonly quoteAsset: string;
  /** The side this leg took when the pair opened. */
  readonly openSide: TradeSide;
  /** Base quantity this leg holds now: positive long, negative short. */
  readonly position: number;
  /** Quote cash this leg has moved, fees included: positive received, negative paid. */
  readonly quoteFlow: number;
  /** Fees paid, in the quote asset. */
  readonly fees: number;
  /** Average price of this leg's last fill (values any dust left when the pair closes). */
  readonly lastFillPrice: number;
  readonly fills: readonly FillReport[];
}

export interface RealisedPnl {
  readonly krw: number;
  readonly usd: number;
  /** KRW per USDT the USDT leg was valued at. */
  readonly usdtKrw: number;
}

export interface TradeView {
  readonly id: string;
  readonly asset: string;
  /** The route the pair opened on and keeps until it closes, e.g. 'upbit-binance'. */
  readonly route: string;
  readonly direction: Direction;
  /** Planned quantity per leg. */
  readonly size: number;
  readonly state: TradeState;
  readonly openedAt: number;
  /** The direction's net premium when the pair was opened (`entry.netPremium`). */
  readonly entryPremium: number;
  readonly entry: EntryMarks;
  /** The last unwind decision's marks. */
  readonly exit: PairMarks | undefined;
  readonly closeReason: CloseReason | undefined;
  readonly closedAt: number | undefined;
  /** The leg on the KRW venue. */
  readonly krw: TradeLegView;
  /** The leg on the USDT venue. */
  readonly usdt: TradeLegView;
  readonly realised: RealisedPnl | undefined;
  readonly costs: CostBreakdown | undefined;
}

class TradeLeg implements TradeLegView {
  position = 0;
  quoteFlow = 0;
  fees = 0;
  lastFillPrice = Number.NaN;
  readonly fills: FillReport[] = [];

  constructor(
    readonly exchange: string,
    readonly symbol: string,
    readonly quoteAsset: string,
    readonly openSide: TradeSide,
    /** Positions smaller than this are float residue of summed fills, and count as zero. */
    private readonly residue: number,
  ) {}

  apply(fill: FillReport): void {
    this.fills.push(fill);
    if (fill.filledSize <= 0) return;
    const sign = fill.side === 'buy' ? 1 : -1;
    this.position += sign * fill.filledSize;
    if (Math.abs(this.position) <= this.residue) this.position = 0;
    this.quoteFlow += -sign * fill.notional - fill.fee;
    this.fees += fill.fee;
    this.lastFillPrice = fill.averagePrice;
  }

  /** Quote value if the position were worth `mark` per unit. */
  valueAt(mark: number): number {
    return this.quoteFlow + (this.position === 0 ? 0 : this.position * mark);
  }

  /** Quote paid beyond the mid of each fill's decision: opening fills against `entryMid`, the rest against `exitMid`. */
  spreadCost(entryMid: number, exitMid: number): number {
    let cost = 0;
    for (const fill of this.fills) {
      if (fill.filledSize <= 0) continue;
      const mid = fill.side === this.openSide ? entryMid : exitMid;
      const beyondMid = fill.side === 'buy' ? fill.averagePrice - mid : mid - fill.averagePrice;
      cost += beyondMid * fill.filledSize;
    }
    return cost;
  }
}

/** One hedged pair: a leg on the KRW venue and a leg on the USDT venue, same asset and size. */
export class HedgedTrade implements TradeView {
  state: TradeState = 'opening';
  closeReason: CloseReason | undefined;
  closedAt: number | undefined;
  realised: RealisedPnl | undefined;
  costs: CostBreakdown | undefined;
  exit: PairMarks | undefined;
  /** Orders sent for this pair and not yet reported. */
  pendingOrders = 0;
  /** Set once a leg could not be unwound (logged once, retried on every evaluation). */
  unwindBlocked = false;
  readonly krw: TradeLeg;
  readonly usdt: TradeLeg;

  constructor(
    readonly id: string,
    readonly asset: string,
    readonly route: string,
    readonly direction: Direction,
    readonly size: number,
    readonly openedAt: number,
    readonly entry: EntryMarks,
    krw: MarketRef,
    usdt: MarketRef,
  ) {
    const sellsKrw = direction === 'sell_krw_buy_usdt';
    const residue = size * 1e-9;
    this.krw = new TradeLeg(krw.exchange, krw.symbol, 'KRW', sellsKrw ? 'sell' : 'buy', residue);
    this.usdt = new TradeLeg(usdt.exchange, usdt.symbol, 'USDT', sellsKrw ? 'buy' : 'sell', residue);
  }

  get entryPremium(): number {
    return this.entry.netPremium;
  }

  legs(): readonly [TradeLeg, TradeLeg] {
    return [this.krw, this.usdt];
  }

  applyFill(fill: FillReport): void {
    const onKrwLeg = fill.exchange === this.krw.exchange && fill.symbol === this.krw.symbol;
    (onKrwLeg ? this.krw : this.usdt).apply(fill);
  }

  /** Whether the two legs offset each other (within `tolerance` base units). */
  isHedged(tolerance: number): boolean {
    return Math.abs(this.krw.position + this.usdt.position) <= tolerance;
  }

  hasPosition(): boolean {
    return this.krw.position !== 0 || this.usdt.position !== 0;
  }

  /**
   * PnL of the pair's cash flows: KRW flow + USDT flow × usdtKrw (and the reverse for USD), with
   * any position left on a leg valued at `marks` (quote per unit, per leg). Realised PnL uses each
   * leg's last fill price as its mark (only dust can be left); unrealised uses the book.
   */
  valueAt(usdtKrw: number, krwMark: number, usdtMark: number): RealisedPnl {
    const krw = this.krw.valueAt(krwMark);
    const usdt = this.usdt.valueAt(usdtMark);
    return { krw: krw + usdt * usdtKrw, usd: krw / usdtKrw + usdt, usdtKrw };
  }

  close(now: number, usdtKrw: number): RealisedPnl {
    this.state = 'closed';
    this.closedAt = now;
    this.realised = this.valueAt(usdtKrw, this.krw.lastFillPrice, this.usdt.lastFillPrice);
    const exit = this.exit ?? this.entry;
    const feesKrw = this.krw.fees + this.usdt.fees * usdtKrw;
    const spreadKrw =
      this.krw.spreadCost(this.entry.krwMid, exit.krwMid) +
      this.usdt.spreadCost(this.entry.usdtMid, exit.usdtMid) * usdtKrw;
    const captureKrw = this.realised.krw + feesKrw + spreadKrw;
    const premiumMove =
      pairPremium(this.direction, this.entry.midPremium) - pairPremium(this.direction, exit.midPremium);
    const premiumKrw = ((this.size * this.entry.krwMid) / (1 + this.entry.midPremium)) * premiumMove;
    this.costs = {
      captureKrw,
      premiumKrw,
      rateKrw: captureKrw - premiumKrw,
      feesKrw,
      spreadKrw,
      pnlKrw: this.realised.krw,
    };
    return this.realised;
  }
}
