import type { AssetSpec } from './assets.js';
import type { ChangeSet } from './change-set.js';
import { decimalsOf, formatPadded } from './decimal.js';
import type { LadderBook } from './ladder-book.js';
import { Rng } from './random.js';
import { SteppedBook } from './stepped-book.js';

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
export class BinanceSymbolBook extends SteppedBook {
  readonly symbol: string;
  readonly streamSymbol: string;
  lastUpdateId: number;
  private nextTradeId: number;

  constructor(
    readonly asset: AssetSpec,
    options: BinanceBookOptions,
  ) {
    const filters = asset.binance;
    super(
      filters.tickSize,
      {
        tickSize: filters.tickSize,
        lotSize: filters.stepSize,
        depth: options.depth,
        updatesPerSecond: options.updatesPerSecond,
        annualVolatility: asset.annualVolatility,
        levelNotional: asset.levelNotionalUsd,
        maxSpreadTicks: 2,
        mid: options.mid,
      },
      new Rng(options.seed, `binance:${asset.base}USDT`),
      decimalsOf(filters.tickSize),
      decimalsOf(filters.stepSize),
    );
    this.symbol = `${asset.base}USDT`;
    this.streamSymbol = this.symbol.toLowerCase();
    this.lastUpdateId = 40_000_000_000 + Math.floor(this.rng.next() * 1_000_000_000);
    this.nextTradeId = 4_000_000_000 + Math.floor(this.rng.next() * 100_000_000);
  }

  /** One book update following `modelMid` (USDT). Undefined while frozen. */
  step(modelMid: number): BinanceStep | undefined {
    if (this.frozen) return undefined;
    const taken = this.moveLadder(modelMid);
    const trade: BinanceTrade | undefined = taken && {
      id: this.nextTradeId++,
      priceKey: taken.priceKey,
      lots: taken.lots,
      buyerIsMaker: !taken.takerBuys,
    };
    return this.commit(trade);
  }

  /** Applies an arbitrary mutation (faults) as one update with its own ids. */
  mutate(mutation: (ladder: LadderBook, changes: ChangeSet) => void): BinanceStep {
    this.mutateLadder(mutation);
    return this.commit(undefined);
  }

  formatPrice(key: number): string {
    return formatPadded(key, this.tickDecimals, WIRE_DECIMALS);
  }

  formatQty(lots: number): string {
    return formatPadded(lots, this.lotDecimals, WIRE_DECIMALS);
  }

  private commit(trade: BinanceTrade | undefined): BinanceStep {
    const firstId = this.lastUpdateId + 1;
    const lastId = firstId + this.rng.int(3);
    this.lastUpdateId = lastId;
    const topChanged = this.finishUpdate();
    return { firstId, lastId, changes: this.changes, trade, topChanged };
  }
}
