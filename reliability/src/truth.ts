import type { PriceLevel } from '@arbitrage/core';
import type { ExchangeName, Simulator } from '@arbitrage/simulator';

/** One true book as the simulator published it. */
export interface TrueBook {
  /** Binance lastUpdateId, or Upbit orderbook timestamp. */
  readonly key: number;
  /** Local wall time when it became the truth. */
  readonly at: number;
  /** Position in this symbol's history (0, 1, 2, ...). */
  readonly index: number;
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
}

class History {
  private readonly entries: TrueBook[] = [];
  private readonly byKey = new Map<number, TrueBook>();
  private next = 0;

  constructor(private readonly capacity: number) {}

  add(key: number, at: number, bids: readonly PriceLevel[], asks: readonly PriceLevel[]): void {
    const last = this.entries[this.entries.length - 1];
    if (last && last.key === key && sameLevels(last.bids, bids) && sameLevels(last.asks, asks)) return;
    const entry: TrueBook = { key, at, index: this.next++, bids, asks };
    this.entries.push(entry);
    // Same key twice (a frozen Upbit book re-stamped in the same ms): the later one wins the lookup.
    this.byKey.set(key, entry);
    if (this.entries.length > this.capacity) {
      const old = this.entries.shift();
      if (old && this.byKey.get(old.key) === old) this.byKey.delete(old.key);
    }
  }

  get(key: number): TrueBook | undefined {
    return this.byKey.get(key);
  }

  oldest(): TrueBook | undefined {
    return this.entries[0];
  }

  head(): TrueBook | undefined {
    return this.entries[this.entries.length - 1];
  }

  /** The first truth published after `entry` (when `entry` stopped being current). */
  after(entry: TrueBook): TrueBook | undefined {
    const first = this.entries[0];
    if (!first) return undefined;
    return this.entries[entry.index - first.index + 1];
  }
}

function sameLevels(a: readonly PriceLevel[], b: readonly PriceLevel[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]![0] !== b[i]![0] || a[i]![1] !== b[i]![1]) return false;
  }
  return true;
}

/**
 * Records the simulator's true books (top `depth` levels) for a set of native symbols every time
 * `record()` is called, so that any book a client reports can be compared with the truth at its own
 * sequence (Binance `lastUpdateId`, OKX `seqId`) or timestamp (Upbit).
 */
export class TruthRecorder {
  private readonly histories = new Map<string, History>();

  constructor(
    private readonly sim: Simulator,
    readonly exchange: ExchangeName,
    readonly natives: readonly string[],
    readonly depth: number,
    capacity = 4_000,
  ) {
    for (const native of natives) this.histories.set(native, new History(capacity));
  }

  record(now = Date.now()): void {
    for (const [native, history] of this.histories) {
      if (this.exchange === 'binance') {
        const book = this.sim.market.binanceBook(native, this.depth);
        history.add(book.lastUpdateId, now, book.bids, book.asks);
      } else if (this.exchange === 'okx') {
        const book = this.sim.market.okxBook(native, this.depth);
        history.add(book.seqId, now, book.bids, book.asks);
      } else {
        const book = this.sim.market.upbitBook(native);
        history.add(book.timestamp, now, book.bids.slice(0, this.depth), book.asks.slice(0, this.depth));
      }
    }
  }

  history(native: string): History {
    const history = this.histories.get(native);
    if (!history) throw new Error(`no truth recorded for ${this.exchange} ${native}`);
    return history;
  }
}

export type { History as TruthHistory };

/** The key a reported book is checked under: its update id where the exchange has one (Binance, OKX), else its exchange time (Upbit). */
export function truthKey(snapshot: {
  exchange: string;
  sequence?: number;
  exchangeTime?: number;
}): number | undefined {
  return snapshot.exchange === 'upbit' ? snapshot.exchangeTime : snapshot.sequence;
}
