import type { BinanceStep, BinanceSymbolBook } from '../model/binance-book.js';
import { diffFrame } from './frames.js';

/**
 * Merges consecutive book updates into one diff event (first U, last u, final quantity per price),
 * for streams slower than the book: @depth (1000 ms), or @depth@100ms when the book updates more
 * often than every 100 ms.
 */
export class DiffAccumulator {
  private firstId = 0;
  private lastId = 0;
  private steps = 0;
  private readonly bids = new Map<number, number>();
  private readonly asks = new Map<number, number>();

  get isEmpty(): boolean {
    return this.steps === 0;
  }

  get lastUpdateId(): number {
    return this.lastId;
  }

  add(step: BinanceStep): void {
    if (this.steps === 0) this.firstId = step.firstId;
    this.lastId = step.lastId;
    this.steps++;
    const { changes } = step;
    for (let i = 0; i < changes.bidKeys.length; i++) this.bids.set(changes.bidKeys[i]!, changes.bidLots[i]!);
    for (let i = 0; i < changes.askKeys.length; i++) this.asks.set(changes.askKeys[i]!, changes.askLots[i]!);
  }

  /** The merged event; empties the accumulator. */
  flush(book: BinanceSymbolBook, eventTime: number): string {
    const bidKeys = [...this.bids.keys()].sort((a, b) => b - a);
    const askKeys = [...this.asks.keys()].sort((a, b) => a - b);
    const frame = diffFrame(
      book,
      eventTime,
      this.firstId,
      this.lastId,
      bidKeys,
      bidKeys.map((key) => this.bids.get(key)!),
      askKeys,
      askKeys.map((key) => this.asks.get(key)!),
    );
    this.steps = 0;
    this.bids.clear();
    this.asks.clear();
    return frame;
  }
}
