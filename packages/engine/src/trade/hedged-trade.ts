import type { TradeSide } from '@arbitrage/core';
import type { FillReport } from '../paper/orders.js';
import type { Direction, MarketRef } from '../types.js';

/**
 * - opening: both opening orders sent, fills pending;
 * - open: holding the pair (possibly unevenly, after partial fills);
 * - closing: unwinding orders sent, fills pending;
 * - closed: flat (or only dust below lot size / minimum notional is left), PnL realised.
 */
export type TradeState = 'opening' | 'open' | 'closing' | 'closed';

/** Why a pair was (or is being) closed. */
export type CloseReason = 'exit_threshold' | 'max_holding' | 'unhedged' | 'open_failed';

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
  readonly direction: Direction;
  /** Planned quantity per leg. */
  readonly size: number;
  readonly state: TradeState;
  readonly openedAt: number;
  /** The direction's net premium when the pair was opened. */
  readonly entryPremium: number;
  readonly closeReason: CloseReason | undefined;
  readonly closedAt: number | undefined;
  /** The leg on the KRW venue. */
  readonly krw: TradeLegView;
  /** The leg on the USDT venue. */
  readonly usdt: TradeLegView;
  readonly realised: RealisedPnl | undefined;
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
}

/** One hedged pair: a leg on the KRW venue and a leg on the USDT venue, same asset and size. */
export class HedgedTrade implements TradeView {
  state: TradeState = 'opening';
  closeReason: CloseReason | undefined;
  closedAt: number | undefined;
  realised: RealisedPnl | undefined;
  /** Orders sent for this pair and not yet reported. */
  pendingOrders = 0;
  /** Set once a leg could not be unwound (logged once, retried on every evaluation). */
  unwindBlocked = false;
  readonly krw: TradeLeg;
  readonly usdt: TradeLeg;

  constructor(
    readonly id: string,
    readonly asset: string,
    readonly direction: Direction,
    readonly size: number,
    readonly openedAt: number,
    readonly entryPremium: number,
    krw: MarketRef,
    usdt: MarketRef,
  ) {
    const sellsKrw = direction === 'sell_krw_buy_usdt';
    const residue = size * 1e-9;
    this.krw = new TradeLeg(krw.exchange, krw.symbol, 'KRW', sellsKrw ? 'sell' : 'buy', residue);
    this.usdt = new TradeLeg(usdt.exchange, usdt.symbol, 'USDT', sellsKrw ? 'buy' : 'sell', residue);
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
    return this.realised;
  }
}
