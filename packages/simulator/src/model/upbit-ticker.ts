import type { Rng } from './random.js';

const DAY_MS = 86_400_000;

/** Running ticker statistics of one Upbit market, updated by its trades. */
export class UpbitTickerState {
  openingPrice: number;
  highPrice: number;
  lowPrice: number;
  tradePrice: number;
  prevClosingPrice: number;
  tradeVolume = 0;
  accTradeVolume: number;
  accTradePrice: number;
  accTradeVolume24h: number;
  accTradePrice24h: number;
  accAskVolume: number;
  accBidVolume: number;
  askBid: 'ASK' | 'BID' = 'BID';
  tradeTimestamp: number;
  readonly highest52WeekPrice: number;
  readonly lowest52WeekPrice: number;
  readonly highest52WeekDate: string;
  readonly lowest52WeekDate: string;
  private day: number;

  constructor(mid: number, now: number, rng: Rng, roundPrice: (price: number) => number) {
    this.tradePrice = roundPrice(mid);
    this.prevClosingPrice = roundPrice(mid * (1 + 0.02 * rng.normal()));
    this.openingPrice = this.prevClosingPrice;
    this.highPrice = Math.max(this.openingPrice, this.tradePrice);
    this.lowPrice = Math.min(this.openingPrice, this.tradePrice);
    const baseVolume = 2e9 / mid;
    this.accTradeVolume = round8(baseVolume * (0.5 + rng.next()));
    this.accTradePrice = this.accTradeVolume * mid;
    this.accTradeVolume24h = round8(this.accTradeVolume * 1.6);
    this.accTradePrice24h = this.accTradeVolume24h * mid;
    this.accAskVolume = round8(this.accTradeVolume * 0.5);
    this.accBidVolume = round8(this.accTradeVolume - this.accAskVolume);
    this.tradeTimestamp = now;
    this.highest52WeekPrice = roundPrice(mid * 1.45);
    this.lowest52WeekPrice = roundPrice(mid * 0.55);
    this.highest52WeekDate = isoDate(now - 40 * DAY_MS);
    this.lowest52WeekDate = isoDate(now - 300 * DAY_MS);
    this.day = Math.floor(now / DAY_MS);
  }

  onTrade(price: number, volume: number, askBid: 'ASK' | 'BID', timestamp: number): void {
    const day = Math.floor(timestamp / DAY_MS);
    if (day > this.day) {
      this.day = day;
      this.prevClosingPrice = this.tradePrice;
      this.openingPrice = price;
      this.highPrice = price;
      this.lowPrice = price;
      this.accTradeVolume = 0;
      this.accTradePrice = 0;
      this.accAskVolume = 0;
      this.accBidVolume = 0;
    }
    this.tradePrice = price;
    this.tradeVolume = volume;
    this.askBid = askBid;
    this.tradeTimestamp = timestamp;
    if (price > this.highPrice) this.highPrice = price;
    if (price < this.lowPrice) this.lowPrice = price;
    this.accTradeVolume = round8(this.accTradeVolume + volume);
    this.accTradePrice += price * volume;
    this.accTradeVolume24h = round8(this.accTradeVolume24h + volume);
    this.accTradePrice24h += price * volume;
    if (askBid === 'ASK') this.accAskVolume = round8(this.accAskVolume + volume);
    else this.accBidVolume = round8(this.accBidVolume + volume);
  }

  get change(): 'RISE' | 'EVEN' | 'FALL' {
    if (this.tradePrice > this.prevClosingPrice) return 'RISE';
    return this.tradePrice < this.prevClosingPrice ? 'FALL' : 'EVEN';
  }

  get signedChangePrice(): number {
    return this.tradePrice - this.prevClosingPrice;
  }

  get signedChangeRate(): number {
    return round8(this.signedChangePrice / this.prevClosingPrice);
  }
}

export function round8(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}

/** yyyy-MM-dd (UTC). */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
