import { upbitKrwTickSize } from '@arbitrage/core';
import { decimalsOf } from './decimal.js';

/**
 * Prices are integer "keys": a count of 10^-decimals quote units. A grid says which keys are valid
 * prices and how to move between neighbouring ones.
 */
export interface PriceGrid {
  /** Fraction digits of one key unit. */
  readonly decimals: number;
  /** The tick, in key units, for prices at `key`. */
  tickAt(key: number): number;
  /** The highest valid price <= key. */
  floor(key: number): number;
  /** The `steps`-th valid price above `key` (a valid price). */
  up(key: number, steps: number): number;
  /** The `steps`-th valid price below `key` (a valid price); never below one tick. */
  down(key: number, steps: number): number;
}

/** A fixed tick (Binance PRICE_FILTER.tickSize): keys are tick counts. */
export class FixedGrid implements PriceGrid {
  constructor(readonly decimals: number) {}

  tickAt(): number {
    return 1;
  }

  floor(key: number): number {
    return Math.floor(key);
  }

  up(key: number, steps: number): number {
    return key + steps;
  }

  down(key: number, steps: number): number {
    return Math.max(1, key - steps);
  }
}

/** Upbit's KRW table: the tick grows with the price, so keys are counts of the finest unit in use. */
export class UpbitKrwGrid implements PriceGrid {
  readonly decimals: number;
  private readonly scale: number;

  /** `referencePrice` sets the key unit: the tick a tenth of that price would have. */
  constructor(
    private readonly base: string,
    referencePrice: number,
  ) {
    // Fine enough for every tick from a tenth of the reference price up (the table's ticks shrink
    // with the price, except USDT's 0.5 band, so check both ends).
    this.decimals = Math.max(
      decimalsOf(upbitKrwTickSize(referencePrice / 10, base)),
      decimalsOf(upbitKrwTickSize(referencePrice, base)),
    );
    this.scale = 10 ** this.decimals;
  }

  tickAt(key: number): number {
    const units = Math.round(upbitKrwTickSize(key / this.scale, this.base) * this.scale);
    return Math.max(units, 1);
  }

  floor(key: number): number {
    const k = Math.floor(key);
    const tick = this.tickAt(k);
    return k - (k % tick);
  }

  up(key: number, steps: number): number {
    let k = key;
    for (let i = 0; i < steps; i++) {
      const tick = this.tickAt(k);
      const next = k + tick;
      const nextTick = this.tickAt(next);
      k = nextTick === tick ? next : Math.ceil(next / nextTick) * nextTick;
      const remaining = steps - i - 1;
      if (remaining > 0 && this.tickAt(k + remaining * nextTick) === nextTick)
        return k + remaining * nextTick;
    }
    return k;
  }

  down(key: number, steps: number): number {
    let k = key;
    for (let i = 0; i < steps; i++) {
      const below = this.tickAt(k - 1);
      const next = k - below;
      if (next < below) return k;
      k = next - (next % this.tickAt(next));
    }
    return k;
  }
}
