import type { PriceLevel } from '@arbitrage/core';
import type { AssetSpec } from './assets.js';
import { ChangeSet } from './change-set.js';
import { decimalsOf, formatPadded, scaledToNumber } from './decimal.js';
import { LadderBook, type LadderParams } from './ladder-book.js';
import { FixedGrid } from './price-grid.js';
import { Rng } from './random.js';

/** Binance writes every price and quantity with 8 fraction digits. */
const WIRE_DECIMALS = 8;

export interface BinanceBookOptions {
  readonly seed: number;
  readonly asset: AssetSpec;
  /** Levels per side. */
  readonly depth: number;
  /** Book updates per second (sets the expected move per step and so the gap between top levels). */
  readonly updatesPerSecond: number;
  /** Starting mid, USDT. */
  readonly mid: number;
}

export interface BinanceTrade {
  readonly id: number;
  readonly priceKey: number;
  readonly lots: number;
  /** True when the taker sold (the buyer was the resting order). */
  readonly buyerIsMaker: boolean;
}

/** What one update did; the ChangeSet is reused by the next update, so read it synchronously. */
export interface BinanceStep {
  /** First update id in this update. */
  readonly firstId: number;
  /** Last update id in this update (the book's lastUpdateId afterwards). */
  readonly lastId: number;
  readonly changes: ChangeSet;
  readonly trade: BinanceTrade | undefined;
  readonly topChanged: boolean;
}

/** The true order book of one Binance symbol: update ids, trades and exact decimal formatting. */
export class BinanceSymbolBook {
  readonly symbol: string;
  readonly streamSymbol: string;
  readonly tickDecimals: number;
  readonly lotDecimals: number;
  readonly ladder: LadderBook;
  lastUpdateId: number;
  /** Updates produced so far (drives stream cadences). */
  updates = 0;
  /** Extra relative offset applied to the model mid (faults.moveBook). */
  offset = 0;
  /** While frozen (a persistent crossed-book fault) the book does not move. */
  frozen = false;
  private readonly changes = new ChangeSet();
  private readonly rng: Rng;
  private readonly topGapTicks: number;
  private micro = 0;
  /** Best bid key, its lots, best ask key, its lots before the current update. */
  private readonly top = [0, 0, 0, 0];
  private nextTradeId: number;

  constructor(
    readonly asset: AssetSpec,
    options: BinanceBookOptions,
  ) {
    this.symbol = `${asset.base}USDT`;
    this.streamSymbol = this.symbol.toLowerCase();
    this.tickDecimals = decimalsOf(asset.binance.tickSize);
    this.lotDecimals = decimalsOf(asset.binance.stepSize);
    this.rng = new Rng(options.seed, `binance:${this.symbol}`);
    const tick = asset.binance.tickSize;
    const stepSigma = asset.annualVolatility * Math.sqrt(1 / options.updatesPerSecond / (365 * 24 * 3600));
    this.topGapTicks = Math.max(1, Math.round((stepSigma * options.mid) / tick / 3));
    const spanTicks = (0.02 * options.mid) / tick;
    const depth = options.depth;
    const gapSlope = Math.max(0, (2 * (spanTicks - depth * this.topGapTicks)) / (depth * depth));
    const params: LadderParams = {
      depth,
      topGapTicks: this.topGapTicks,
      gapSlope,
      changesPerStep: 7,
      activityDepth: 6,
      topLots: Math.max(1, Math.round(asset.levelNotionalUsd / options.mid / asset.binance.stepSize)),
      maxSpreadTicks: 2,
    };
    this.ladder = new LadderBook(new FixedGrid(this.tickDecimals), params, this.rng);
    this.ladder.init(this.midKey(options.mid));
    this.lastUpdateId = 40_000_000_000 + Math.floor(this.rng.next() * 1_000_000_000);
    this.nextTradeId = 4_000_000_000 + Math.floor(this.rng.next() * 100_000_000);
  }

  /** One book update following `modelMid` (USDT). Undefined while frozen. */
  step(modelMid: number): BinanceStep | undefined {
    if (this.frozen) return undefined;
    const { rng, changes, ladder } = this;
    changes.clear();
    this.saveTop();
    this.micro = this.micro * 0.9 + rng.normal() * this.topGapTicks * 0.4;
    ladder.step(this.midKey(modelMid) + this.micro, changes);
    let trade: BinanceTrade | undefined;
    if (rng.chance(0.4)) {
      const takerBuys = rng.chance(0.5);
      const taken = ladder.take(!takerBuys, rng.next() * 0.5, changes);
      if (taken)
        trade = { id: this.nextTradeId++, priceKey: taken[0], lots: taken[1], buyerIsMaker: !takerBuys };
    }
    return this.commit(trade);
  }

  /** Applies an arbitrary mutation (faults) as one update with its own ids. */
  mutate(mutation: (ladder: LadderBook, changes: ChangeSet) => void): BinanceStep {
    this.changes.clear();
    this.saveTop();
    mutation(this.ladder, this.changes);
    return this.commit(undefined);
  }

  midKey(mid: number): number {
    return (mid * (1 + this.offset)) / this.asset.binance.tickSize;
  }

  formatPrice(key: number): string {
    return formatPadded(key, this.tickDecimals, WIRE_DECIMALS);
  }

  formatQty(lots: number): string {
    return formatPadded(lots, this.lotDecimals, WIRE_DECIMALS);
  }

  priceOf(key: number): number {
    return scaledToNumber(key, this.tickDecimals);
  }

  sizeOf(lots: number): number {
    return scaledToNumber(lots, this.lotDecimals);
  }

  /** The best `limit` levels per side as numbers, best first. */
  levels(isBid: boolean, limit: number): PriceLevel[] {
    const side = this.ladder.side(isBid);
    const count = Math.min(limit, side.size);
    const out: PriceLevel[] = new Array(count);
    for (let i = 0; i < count; i++) out[i] = [this.priceOf(side.key(i)!), this.sizeOf(side.lots(i)!)];
    return out;
  }

  private commit(trade: BinanceTrade | undefined): BinanceStep {
    const firstId = this.lastUpdateId + 1;
    const lastId = firstId + this.rng.int(3);
    this.lastUpdateId = lastId;
    this.updates++;
    this.changes.sort();
    return { firstId, lastId, changes: this.changes, trade, topChanged: this.topChanged() };
  }

  private saveTop(): void {
    const { bids, asks } = this.ladder;
    const top = this.top;
    top[0] = bids.key(0) ?? 0;
    top[1] = bids.lots(0) ?? 0;
    top[2] = asks.key(0) ?? 0;
    top[3] = asks.lots(0) ?? 0;
  }

  private topChanged(): boolean {
    const { bids, asks } = this.ladder;
    const top = this.top;
    return (
      top[0] !== (bids.key(0) ?? 0) ||
      top[1] !== (bids.lots(0) ?? 0) ||
      top[2] !== (asks.key(0) ?? 0) ||
      top[3] !== (asks.lots(0) ?? 0)
    );
  }
}
