import { BookSide } from './book-side.js';
import type { ChangeSet } from './change-set.js';
import type { PriceGrid } from './price-grid.js';
import type { Rng } from './random.js';

export interface LadderParams {
  /** Levels kept per side. */
  readonly depth: number;
  /** Mean gap between the best levels, in ticks. */
  readonly topGapTicks: number;
  /** Growth of the mean gap per level further from the best, in ticks. */
  readonly gapSlope: number;
  /** Mean number of random level changes per step (besides following the mid). */
  readonly changesPerStep: number;
  /** Mean index (0 = best) of the levels those changes touch. */
  readonly activityDepth: number;
  /** Median size of the best level, in lots. */
  readonly topLots: number;
  /** Widest spread the book quotes, in ticks. */
  readonly maxSpreadTicks: number;
}

/**
 * A two-sided book whose best prices follow a target mid, with top-biased random size changes,
 * cancellations and new orders, and a depth kept near `depth` levels per side. Every change goes
 * through `set`, which records it in a ChangeSet so the exchange layer can publish exact diffs.
 */
export class LadderBook {
  readonly bids = new BookSide(true);
  readonly asks = new BookSide(false);
  private readonly slack: number;

  constructor(
    readonly grid: PriceGrid,
    readonly params: LadderParams,
    private readonly rng: Rng,
  ) {
    this.slack = Math.floor(params.depth / 50);
  }

  side(isBid: boolean): BookSide {
    return isBid ? this.bids : this.asks;
  }

  set(isBid: boolean, key: number, lots: number, changes: ChangeSet | undefined): void {
    this.side(isBid).set(key, lots);
    changes?.record(isBid, key, lots);
  }

  /** Fills both sides around `midKey` (a fractional key). */
  init(midKey: number): void {
    this.bids.clear();
    this.asks.clear();
    const bestBid = this.grid.floor(midKey);
    let bid = bestBid;
    let ask = this.grid.up(bestBid, 1);
    for (let i = 0; i < this.params.depth; i++) {
      this.bids.set(bid, this.sizeFor(i));
      this.asks.set(ask, this.sizeFor(i));
      bid = this.grid.down(bid, this.gapFor(i));
      ask = this.grid.up(ask, this.gapFor(i));
    }
  }

  /** One market-data update: follow the mid, then a few random changes, then restore the depth. */
  step(midKey: number, changes: ChangeSet): void {
    this.follow(midKey, changes);
    const count = Math.floor(this.params.changesPerStep * (0.5 + this.rng.next()));
    for (let i = 0; i < count; i++) this.randomChange(changes);
    this.restoreDepth(true, changes);
    this.restoreDepth(false, changes);
  }

  /** Moves the best prices to bracket `midKey`, removing levels the move crossed. */
  follow(midKey: number, changes: ChangeSet | undefined): void {
    const { grid, rng, params } = this;
    const spread = params.maxSpreadTicks > 1 && rng.chance(0.25) ? 1 + rng.int(params.maxSpreadTicks) : 1;
    const targetBid = grid.floor(midKey);
    const targetAsk = grid.up(targetBid, spread);
    const { bids, asks } = this;
    while (asks.size > 0 && asks.key(0)! <= targetBid) this.set(false, asks.key(0)!, 0, changes);
    while (bids.size > 0 && bids.key(0)! >= targetAsk) this.set(true, bids.key(0)!, 0, changes);
    if (bids.size === 0 || bids.key(0)! < targetBid) this.set(true, targetBid, this.sizeFor(0), changes);
    if (asks.size === 0 || asks.key(0)! > targetAsk) this.set(false, targetAsk, this.sizeFor(0), changes);
  }

  /** A taker order against the best level of a side; returns [price key, lots taken] or undefined. */
  take(isBid: boolean, fraction: number, changes: ChangeSet): readonly [number, number] | undefined {
    const side = this.side(isBid);
    if (side.size === 0) return undefined;
    const key = side.key(0)!;
    const available = side.lots(0)!;
    const lots = Math.max(1, Math.min(available, Math.round(available * fraction)));
    this.set(isBid, key, available - lots, changes);
    return [key, lots];
  }

  private randomChange(changes: ChangeSet): void {
    const { rng } = this;
    const isBid = rng.chance(0.5);
    const side = this.side(isBid);
    if (side.size === 0) return;
    const index = Math.min(side.size - 1, Math.floor(rng.exponential(this.params.activityDepth)));
    const key = side.key(index)!;
    const roll = rng.next();
    if (roll < 0.55) {
      const resized = Math.max(1, Math.round(side.lots(index)! * Math.exp(0.5 * rng.normal())));
      this.set(isBid, key, resized, changes);
    } else if (roll < 0.78) {
      if (side.size > 1) this.set(isBid, key, 0, changes);
    } else {
      this.insertAfter(isBid, index, changes);
    }
  }

  /**
   * A new order in the first gap (of at least one free tick) at or after level `index`, so dense
   * stretches of the book stay dense instead of draining outward.
   */
  private insertAfter(isBid: boolean, index: number, changes: ChangeSet): void {
    const side = this.side(isBid);
    const grid = this.grid;
    const last = Math.min(side.size - 1, index + 32);
    for (let i = index; i <= last; i++) {
      const from = side.key(i)!;
      const next = side.key(i + 1);
      let steps: number;
      if (next === undefined) steps = this.gapFor(i);
      else {
        const between = Math.floor(Math.abs(from - next) / grid.tickAt(Math.min(from, next))) - 1;
        if (between < 1) continue;
        steps = 1 + this.rng.int(between);
      }
      const key = isBid ? grid.down(from, steps) : grid.up(from, steps);
      if (key === from || (next !== undefined && !side.better(key, next))) continue;
      this.set(isBid, key, this.sizeFor(i + 1), changes);
      return;
    }
  }

  private restoreDepth(isBid: boolean, changes: ChangeSet): void {
    const side = this.side(isBid);
    const { depth } = this.params;
    if (side.size > depth + this.slack) {
      while (side.size > depth) this.set(isBid, side.key(side.size - 1)!, 0, changes);
    } else if (side.size < depth - this.slack) {
      while (side.size < depth) {
        const worst = side.key(side.size - 1)!;
        const key = isBid
          ? this.grid.down(worst, this.gapFor(side.size))
          : this.grid.up(worst, this.gapFor(side.size));
        if (key === worst) return;
        this.set(isBid, key, this.sizeFor(side.size), changes);
      }
    }
  }

  private gapFor(index: number): number {
    const mean = this.params.topGapTicks + this.params.gapSlope * index;
    return 1 + Math.floor(this.rng.next() * 2 * Math.max(0, mean - 1));
  }

  private sizeFor(index: number): number {
    return Math.max(
      1,
      Math.round(this.params.topLots * (1 + index / 25) * Math.exp(0.8 * this.rng.normal())),
    );
  }
}
