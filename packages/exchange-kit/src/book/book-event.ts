import type { UpdateId } from './update-id.js';

/**
 * One book message as a plugin's parser leaves it: ids, times and the levels in parallel typed
 * arrays. A parser reuses a single instance for every frame (no allocation per level or per frame),
 * so a consumer that must keep an event past the current frame copies it with `clone()`.
 */
export class BookEvent {
  /** 'delta': levels to set (size 0 removes); 'full': the whole top of the book, best first. */
  kind: 'delta' | 'full' = 'delta';
  /** The plugin's routing key (Binance: the combined-stream name), '' when the frame has none. */
  stream = '';
  /** The exchange's native symbol, '' when the frame has none. */
  symbol = '';
  /** The exchange's timestamp, ms since epoch; 0 when the message has none. */
  eventTime = 0;
  /** First update id the event covers (Binance `U`); equal to `finalId` for a full book. */
  firstId: UpdateId = 0;
  /** Last update id the event covers (Binance `u`, `lastUpdateId`). */
  finalId: UpdateId = 0;
  bidCount = 0;
  askCount = 0;
  bidPrices: Float64Array;
  bidSizes: Float64Array;
  askPrices: Float64Array;
  askSizes: Float64Array;

  constructor(capacity = 64) {
    this.bidPrices = new Float64Array(capacity);
    this.bidSizes = new Float64Array(capacity);
    this.askPrices = new Float64Array(capacity);
    this.askSizes = new Float64Array(capacity);
  }

  reset(): void {
    this.kind = 'delta';
    this.stream = '';
    this.symbol = '';
    this.eventTime = 0;
    this.firstId = 0;
    this.finalId = 0;
    this.bidCount = 0;
    this.askCount = 0;
  }

  pushBid(price: number, size: number): void {
    if (this.bidCount === this.bidPrices.length) {
      this.bidPrices = grow(this.bidPrices);
      this.bidSizes = grow(this.bidSizes);
    }
    this.bidPrices[this.bidCount] = price;
    this.bidSizes[this.bidCount] = size;
    this.bidCount++;
  }

  pushAsk(price: number, size: number): void {
    if (this.askCount === this.askPrices.length) {
      this.askPrices = grow(this.askPrices);
      this.askSizes = grow(this.askSizes);
    }
    this.askPrices[this.askCount] = price;
    this.askSizes[this.askCount] = size;
    this.askCount++;
  }

  /** A copy that owns its arrays (sized to fit), for buffering while a snapshot is fetched. */
  clone(): BookEvent {
    const copy = new BookEvent(0);
    copy.kind = this.kind;
    copy.stream = this.stream;
    copy.symbol = this.symbol;
    copy.eventTime = this.eventTime;
    copy.firstId = this.firstId;
    copy.finalId = this.finalId;
    copy.bidCount = this.bidCount;
    copy.askCount = this.askCount;
    copy.bidPrices = this.bidPrices.slice(0, this.bidCount);
    copy.bidSizes = this.bidSizes.slice(0, this.bidCount);
    copy.askPrices = this.askPrices.slice(0, this.askCount);
    copy.askSizes = this.askSizes.slice(0, this.askCount);
    return copy;
  }
}

function grow(array: Float64Array): Float64Array {
  const next = new Float64Array(Math.max(16, array.length * 2));
  next.set(array);
  return next;
}
