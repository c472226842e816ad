import type { PriceLevel } from '@arbitrage/core';
import { ChangeSet } from './change-set.js';
import { formatTrimmed, scaledToNumber } from './decimal.js';
import { LadderBook } from './ladder-book.js';
import { UpbitKrwGrid } from './price-grid.js';
import { Rng } from './random.js';

/** Upbit sizes carry 8 fraction digits. */
export const UPBIT_SIZE_DECIMALS = 8;
/** Units Upbit publishes per side (since 2025-05-07). */
export const UPBIT_UNITS = 30;

export interface UpbitBookOptions {
  readonly seed: number;
  readonly base: string;
  readonly mid: number;
  readonly updatesPerSecond: number;
  readonly annualVolatility: number;
  /** Median KRW value of a level near the top. */
  readonly levelNotionalKrw: number;
}

export interface UpbitTrade {
  readonly priceKey: number;
  readonly lots: number;
  /** 'BID' when the taker bought (lifted an ask), 'ASK' when the taker sold. */
  readonly askBid: 'ASK' | 'BID';
  readonly timestamp: number;
  /** 17-digit id written as digits (it exceeds 2^53). */
  readonly sequentialId: string;
}

/** The top 30 units of a book at one moment, as keys and lots (0 = padding). */
export interface UpbitFrameState {
  readonly timestamp: number;
  readonly askKeys: readonly number[];
  readonly askLots: readonly number[];
  readonly bidKeys: readonly number[];
  readonly bidLots: readonly number[];
}

/** The true order book of one Upbit KRW market: a 40-level ladder of which 30 units are published. */
export class UpbitMarketBook {
  readonly code: string;
  readonly ladder: LadderBook;
  readonly priceDecimals: number;
  /** Time of the book's last change, ms; strictly increasing per market. */
  timestamp = 0;
  /** Updates produced so far. */
  updates = 0;
  offset = 0;
  frozen = false;
  /** The previously published top 30 (for the out-of-order fault). */
  previous: UpbitFrameState | undefined;
  private readonly changes = new ChangeSet();
  private readonly rng: Rng;
  private readonly scale: number;
  private tradeCounter = 0;

  constructor(
    readonly base: string,
    options: UpbitBookOptions,
  ) {
    this.code = `KRW-${base}`;
    this.rng = new Rng(options.seed, `upbit:${this.code}`);
    const grid = new UpbitKrwGrid(base, options.mid);
    this.priceDecimals = grid.decimals;
    this.scale = 10 ** grid.decimals;
    const tick = grid.tickAt(Math.round(options.mid * this.scale));
    const stepSigma = options.annualVolatility * Math.sqrt(1 / options.updatesPerSecond / (365 * 24 * 3600));
    const topGapTicks = Math.max(1, Math.round((stepSigma * options.mid * this.scale) / tick / 3));
    const depth = UPBIT_UNITS + 10;
    const spanTicks = (0.003 * options.mid * this.scale) / tick;
    this.ladder = new LadderBook(
      grid,
      {
        depth,
        topGapTicks,
        gapSlope: Math.max(0, (2 * (spanTicks - depth * topGapTicks)) / (depth * depth)),
        changesPerStep: 4,
        activityDepth: 5,
        topLots: Math.max(
          1,
          Math.round((options.levelNotionalKrw / options.mid) * 10 ** UPBIT_SIZE_DECIMALS),
        ),
        maxSpreadTicks: 2,
      },
      this.rng,
    );
    this.ladder.init(this.midKey(options.mid));
  }

  /** One book update at wall-clock `now` (ms). Returns the trade it made, if any; undefined while frozen. */
  step(modelMid: number, now: number): { trade: UpbitTrade | undefined } | undefined {
    if (this.frozen) return undefined;
    this.previous = this.frame(UPBIT_UNITS);
    this.changes.clear();
    this.ladder.step(this.midKey(modelMid), this.changes);
    this.touch(now);
    let trade: UpbitTrade | undefined;
    if (this.rng.chance(0.4)) {
      const takerBuys = this.rng.chance(0.5);
      const taken = this.ladder.take(!takerBuys, this.rng.next() * 0.5, this.changes);
      if (taken) {
        this.tradeCounter = (this.tradeCounter + 1) % 10_000;
        trade = {
          priceKey: taken[0],
          lots: taken[1],
          askBid: takerBuys ? 'BID' : 'ASK',
          timestamp: this.timestamp,
          sequentialId: `${this.timestamp}${String(this.tradeCounter).padStart(4, '0')}`,
        };
      }
    }
    return { trade };
  }

  /** Applies an arbitrary mutation (faults) as one update. */
  mutate(mutation: (ladder: LadderBook, changes: ChangeSet) => void, now: number): void {
    this.previous = this.frame(UPBIT_UNITS);
    this.changes.clear();
    mutation(this.ladder, this.changes);
    this.touch(now);
  }

  midKey(mid: number): number {
    return mid * (1 + this.offset) * this.scale;
  }

  formatPrice(key: number): string {
    return formatTrimmed(key, this.priceDecimals);
  }

  formatSize(lots: number): string {
    return formatTrimmed(lots, UPBIT_SIZE_DECIMALS);
  }

  priceOf(key: number): number {
    return scaledToNumber(key, this.priceDecimals);
  }

  sizeOf(lots: number): number {
    return scaledToNumber(lots, UPBIT_SIZE_DECIMALS);
  }

  /** The published top `count` units (zero-padded when a side is thinner). */
  frame(count: number): UpbitFrameState {
    const { bids, asks } = this.ladder;
    const askKeys: number[] = [];
    const askLots: number[] = [];
    const bidKeys: number[] = [];
    const bidLots: number[] = [];
    for (let i = 0; i < count; i++) {
      askKeys.push(asks.key(i) ?? 0);
      askLots.push(asks.lots(i) ?? 0);
      bidKeys.push(bids.key(i) ?? 0);
      bidLots.push(bids.lots(i) ?? 0);
    }
    return { timestamp: this.timestamp, askKeys, askLots, bidKeys, bidLots };
  }

  levels(isBid: boolean, limit: number): PriceLevel[] {
    const side = this.ladder.side(isBid);
    const count = Math.min(limit, side.size, UPBIT_UNITS);
    const out: PriceLevel[] = new Array(count);
    for (let i = 0; i < count; i++) out[i] = [this.priceOf(side.key(i)!), this.sizeOf(side.lots(i)!)];
    return out;
  }

  private touch(now: number): void {
    this.timestamp = now > this.timestamp ? now : this.timestamp + 1;
    this.updates++;
  }
}
