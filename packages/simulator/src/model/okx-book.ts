import { crc32 } from 'node:zlib';
import { type AssetSpec, okxRules } from './assets.js';
import type { ChangeSet } from './change-set.js';
import { decimalsOf, formatTrimmed } from './decimal.js';
import type { LadderBook } from './ladder-book.js';
import { Rng } from './random.js';
import { SteppedBook } from './stepped-book.js';

/** Chance that a step is an update with no change (seqId == prevSeqId), docs/protocols/okx.md E7. */
const EMPTY_UPDATE_CHANCE = 0.02;
/** Levels per side in the former checksum (E5). */
const CHECKSUM_LEVELS = 25;

export interface OkxBookOptions {
  readonly seed: number;
  readonly asset: AssetSpec;
  /** Levels per side. */
  readonly depth: number;
  readonly updatesPerSecond: number;
  /** Starting mid, USDT. */
  readonly mid: number;
}

/**
 * One `books` push (docs/protocols/okx.md E4): `prevSeqId` is the previous push's `seqId`. The
 * ChangeSet is reused by the next update, so read it synchronously.
 */
export interface OkxStep {
  readonly prevSeqId: number;
  readonly seqId: number;
  readonly changes: ChangeSet;
  readonly topChanged: boolean;
}

/**
 * The true order book of one OKX spot instrument: seqId/prevSeqId, OKX's own spread and sizes
 * around the model's OKX mid, and OKX's level format `[price, size, "0", orderCount]`.
 */
export class OkxInstrumentBook extends SteppedBook {
  readonly instId: string;
  readonly lotSize: number;
  readonly minSize: number;
  seqId: number;
  /** ms; the `ts` of the last push. */
  timestamp = 0;

  constructor(
    readonly asset: AssetSpec,
    options: OkxBookOptions,
  ) {
    const rules = okxRules(asset);
    super(
      rules.tickSize,
      {
        tickSize: rules.tickSize,
        lotSize: rules.lotSize,
        depth: options.depth,
        updatesPerSecond: options.updatesPerSecond,
        annualVolatility: asset.annualVolatility,
        // Thinner levels than Binance's and a spread that opens a little wider.
        levelNotional: asset.levelNotionalUsd * 0.7,
        maxSpreadTicks: 3,
        mid: options.mid,
      },
      new Rng(options.seed, `okx:${asset.base}-USDT`),
      decimalsOf(rules.tickSize),
      decimalsOf(rules.lotSize),
    );
    this.instId = `${asset.base}-USDT`;
    this.lotSize = rules.lotSize;
    this.minSize = rules.minSize;
    this.seqId = 10_000_000_000 + Math.floor(this.rng.next() * 1_000_000_000);
  }

  /** One push following `modelMid`: now and then one with no change (E7). Undefined while frozen. */
  step(modelMid: number): OkxStep | undefined {
    if (this.frozen) return undefined;
    if (this.rng.chance(EMPTY_UPDATE_CHANCE)) {
      this.changes.clear();
      this.updates++;
      return { prevSeqId: this.seqId, seqId: this.seqId, changes: this.changes, topChanged: false };
    }
    this.moveLadder(modelMid);
    return this.commit(this.nextSeqId());
  }

  /** Applies an arbitrary mutation (faults) as one push. */
  mutate(mutation: (ladder: LadderBook, changes: ChangeSet) => void): OkxStep {
    this.mutateLadder(mutation);
    return this.commit(this.nextSeqId());
  }

  /**
   * The sequence starting again from a lower number, as after maintenance (E7): one push with no
   * change whose `seqId` is below its `prevSeqId`; the pushes after it continue from there.
   */
  resetSequence(): OkxStep {
    this.mutateLadder(() => {});
    const low = 1_000 + this.rng.int(1_000_000);
    return this.commit(Math.min(low, Math.max(0, this.seqId - 1)));
  }

  formatPrice(key: number): string {
    return formatTrimmed(key, this.tickDecimals);
  }

  formatQty(lots: number): string {
    return formatTrimmed(lots, this.lotDecimals);
  }

  /**
   * OKX's former book checksum (docs/protocols/okx.md E5): CRC32, as a signed 32-bit integer, of
   * the best 25 bids and asks interleaved as `bidPx:bidSz:askPx:askSz:…` (a shorter side just ends),
   * with the prices and sizes written as on the wire.
   */
  checksum(): number {
    const { bids, asks } = this.ladder;
    const parts: string[] = [];
    for (let i = 0; i < CHECKSUM_LEVELS; i++) {
      if (i < bids.size) parts.push(this.formatPrice(bids.key(i)!), this.formatQty(bids.lots(i)!));
      if (i < asks.size) parts.push(this.formatPrice(asks.key(i)!), this.formatQty(asks.lots(i)!));
    }
    return crc32(parts.join(':')) | 0;
  }

  /** The order count OKX writes as a level's fourth field (any positive number; derived from the size). */
  orderCount(lots: number): number {
    return lots === 0 ? 0 : 1 + (lots % 17);
  }

  private nextSeqId(): number {
    return this.seqId + 1 + this.rng.int(4);
  }

  private commit(seqId: number): OkxStep {
    const prevSeqId = this.seqId;
    this.seqId = seqId;
    const topChanged = this.finishUpdate();
    return { prevSeqId, seqId, changes: this.changes, topChanged };
  }
}
