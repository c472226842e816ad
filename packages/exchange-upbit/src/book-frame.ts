/**
 * Scratch space for one Upbit orderbook message, reused for every frame so that parsing allocates
 * nothing per level. Parsers write the units in wire order (`beginUnits`/`pushUnit`); `finish`
 * validates them and writes each side best first, padding dropped.
 */

/** Why a frame was rejected at the edge (InvalidMessageError.reason). */
export type BookRejection =
  | 'negative-or-invalid-number'
  | 'size-without-price'
  | 'unsorted-asks'
  | 'unsorted-bids'
  | 'crossed'
  | 'too-many-units';

/** Upbit sends at most 30 units; anything far beyond that is not an Upbit book. */
export const MAX_UNITS = 256;

export class BookFrame {
  /** Pair code without any `.N` suffix. */
  code = '';
  /** Exchange time of the book's last change, ms. */
  timestamp = 0;
  /** 'SNAPSHOT' | 'REALTIME' for WebSocket frames, '' when absent (REST). */
  streamType = '';
  askCount = 0;
  bidCount = 0;
  /** Best first (ascending), `askCount` entries. */
  readonly askPrices = new Float64Array(MAX_UNITS);
  readonly askSizes = new Float64Array(MAX_UNITS);
  /** Best first (descending), `bidCount` entries. */
  readonly bidPrices = new Float64Array(MAX_UNITS);
  readonly bidSizes = new Float64Array(MAX_UNITS);
  /** Set when `finish` rejects the frame. */
  rejection: BookRejection | undefined;
  rejectionDetail = '';

  private readonly raw = new Float64Array(MAX_UNITS * 4);
  private units = 0;

  beginUnits(): void {
    this.units = 0;
  }

  /** Returns false when the frame holds more units than any Upbit book. */
  pushUnit(askPrice: number, askSize: number, bidPrice: number, bidSize: number): boolean {
    if (this.units >= MAX_UNITS) return false;
    const at = this.units * 4;
    this.raw[at] = askPrice;
    this.raw[at + 1] = askSize;
    this.raw[at + 2] = bidPrice;
    this.raw[at + 3] = bidSize;
    this.units++;
    return true;
  }

  get unitCount(): number {
    return this.units;
  }

  /**
   * Validates the pushed units and fills both sides. Drops zero padding (price 0 and size 0) and
   * zero-size levels; rejects negative or non-finite numbers, a size without a price, sides out of
   * order, and a crossed book. Returns false (with `rejection` set) when the frame must not be applied.
   */
  finish(): boolean {
    this.rejection = undefined;
    this.rejectionDetail = '';
    let asks = 0;
    let bids = 0;
    const raw = this.raw;
    for (let unit = 0; unit < this.units; unit++) {
      const at = unit * 4;
      const askPrice = raw[at]!;
      const askSize = raw[at + 1]!;
      const bidPrice = raw[at + 2]!;
      const bidSize = raw[at + 3]!;
      // `!(x >= 0)` is also true for NaN; Infinity is caught by the finiteness test.
      if (
        !(askPrice >= 0 && askSize >= 0 && bidPrice >= 0 && bidSize >= 0) ||
        askPrice === Number.POSITIVE_INFINITY ||
        askSize === Number.POSITIVE_INFINITY ||
        bidPrice === Number.POSITIVE_INFINITY ||
        bidSize === Number.POSITIVE_INFINITY
      ) {
        return this.reject(
          'negative-or-invalid-number',
          `unit ${unit}: ${askPrice}/${askSize} ${bidPrice}/${bidSize}`,
        );
      }
      if (askSize > 0) {
        if (askPrice === 0)
          return this.reject('size-without-price', `unit ${unit}: ask size ${askSize} at price 0`);
        if (asks > 0 && !(askPrice > this.askPrices[asks - 1]!)) {
          return this.reject(
            'unsorted-asks',
            `unit ${unit}: ask ${askPrice} after ${this.askPrices[asks - 1]}`,
          );
        }
        this.askPrices[asks] = askPrice;
        this.askSizes[asks] = askSize;
        asks++;
      }
      if (bidSize > 0) {
        if (bidPrice === 0)
          return this.reject('size-without-price', `unit ${unit}: bid size ${bidSize} at price 0`);
        if (bids > 0 && !(bidPrice < this.bidPrices[bids - 1]!)) {
          return this.reject(
            'unsorted-bids',
            `unit ${unit}: bid ${bidPrice} after ${this.bidPrices[bids - 1]}`,
          );
        }
        this.bidPrices[bids] = bidPrice;
        this.bidSizes[bids] = bidSize;
        bids++;
      }
    }
    this.askCount = asks;
    this.bidCount = bids;
    if (asks > 0 && bids > 0 && this.bidPrices[0]! >= this.askPrices[0]!) {
      return this.reject('crossed', `best bid ${this.bidPrices[0]} >= best ask ${this.askPrices[0]}`);
    }
    return true;
  }

  private reject(rejection: BookRejection, detail: string): false {
    this.rejection = rejection;
    this.rejectionDetail = detail;
    this.askCount = 0;
    this.bidCount = 0;
    return false;
  }
}
