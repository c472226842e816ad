import type { PriceLevel } from '@arbitrage/core';
import { ChangeSet } from './change-set.js';
import { scaledToNumber } from './decimal.js';
import { LadderBook, type LadderParams } from './ladder-book.js';
import { FixedGrid } from './price-grid.js';
import type { Rng } from './random.js';

/** How a fixed-tick book is shaped around its starting mid. */
export interface LadderShape {
  /** Price tick, quote units. */
  readonly tickSize: number;
  /** Size step, base units. */
  readonly lotSize: number;
  /** Levels per side. */
  readonly depth: number;
  /** Book updates per second (sets the expected move per step and so the gap between top levels). */
  readonly updatesPerSecond: number;
  readonly annualVolatility: number;
  /** Median value of the best level, quote units. */
  readonly levelNotional: number;
  /** Widest spread quoted, in ticks. */
  readonly maxSpreadTicks: number;
  /** Starting mid. */
  readonly mid: number;
}

/** A taker order against the best level of a side, as a book step produced it. */
export interface LadderTrade {
  readonly priceKey: number;
  readonly lots: number;
  readonly takerBuys: boolean;
}

/** The ladder parameters of a book that spans about 2 % of its mid over `depth` levels. */
function ladderParams(shape: LadderShape): LadderParams {
  const tick = shape.tickSize;
  const stepSigma = shape.annualVolatility * Math.sqrt(1 / shape.updatesPerSecond / (365 * 24 * 3600));
  const topGapTicks = Math.max(1, Math.round((stepSigma * shape.mid) / tick / 3));
  const spanTicks = (0.02 * shape.mid) / tick;
  const depth = shape.depth;
  const gapSlope = Math.max(0, (2 * (spanTicks - depth * topGapTicks)) / (depth * depth));
  return {
    depth,
    topGapTicks,
    gapSlope,
    changesPerStep: 7,
    activityDepth: 6,
    topLots: Math.max(1, Math.round(shape.levelNotional / shape.mid / shape.lotSize)),
    maxSpreadTicks: shape.maxSpreadTicks,
  };
}

/**
 * A fixed-tick book that follows a model mid one update at a time (Binance and OKX): the ladder,
 * the short-lived micro-noise around the mid, a trade now and then, and what the update touched.
 * Subclasses add the exchange's ids and wire formatting.
 */
export abstract class SteppedBook {
  readonly tickDecimals: number;
  readonly lotDecimals: number;
  readonly ladder: LadderBook;
  /** Updates produced so far. */
  updates = 0;
  /** Extra relative offset applied to the model mid (faults.moveBook). */
  offset = 0;
  /** While frozen (a persistent crossed-book fault) the book does not move. */
  frozen = false;
  protected readonly changes = new ChangeSet();
  protected readonly topGapTicks: number;
  private micro = 0;
  /** Best bid key, its lots, best ask key, its lots before the current update. */
  private readonly top = [0, 0, 0, 0];

  protected constructor(
    /** Price tick, quote units. */
    readonly tickSize: number,
    shape: LadderShape,
    protected readonly rng: Rng,
    tickDecimals: number,
    lotDecimals: number,
  ) {
    this.tickDecimals = tickDecimals;
    this.lotDecimals = lotDecimals;
    const params = ladderParams(shape);
    this.topGapTicks = params.topGapTicks;
    this.ladder = new LadderBook(new FixedGrid(tickDecimals), params, rng);
    this.ladder.init(this.midKey(shape.mid));
  }

  midKey(mid: number): number {
    return (mid * (1 + this.offset)) / this.tickSize;
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

  /** One market-data move towards `modelMid` (changes recorded in `changes`); the trade, if any. */
  protected moveLadder(modelMid: number): LadderTrade | undefined {
    const { rng, changes, ladder } = this;
    changes.clear();
    this.saveTop();
    this.micro = this.micro * 0.9 + rng.normal() * this.topGapTicks * 0.4;
    ladder.step(this.midKey(modelMid) + this.micro, changes);
    if (!rng.chance(0.4)) return undefined;
    const takerBuys = rng.chance(0.5);
    const taken = ladder.take(!takerBuys, rng.next() * 0.5, changes);
    return taken ? { priceKey: taken[0], lots: taken[1], takerBuys } : undefined;
  }

  /** Applies an arbitrary mutation (faults), recorded in `changes`. */
  protected mutateLadder(mutation: (ladder: LadderBook, changes: ChangeSet) => void): void {
    this.changes.clear();
    this.saveTop();
    mutation(this.ladder, this.changes);
  }

  /** Closes an update: counts it and sorts its changes; true when the top of the book changed. */
  protected finishUpdate(): boolean {
    this.updates++;
    this.changes.sort();
    return this.topChanged();
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
