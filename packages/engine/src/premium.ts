import type { OrderBookSnapshot, PriceLevel } from '@arbitrage/core';
import type { Direction } from './types.js';
import { fullFillPrice } from './vwap.js';

/** Taker fees as fractions (0.0005 = 0.05 %). */
export interface PremiumFees {
  /** Taker fee of the KRW venue (Upbit: 0.0005). */
  readonly krw: number;
  /** Taker fee of the USDT venue (Binance: 0.001). */
  readonly usdt: number;
  /** Fee on the KRW-USDT conversion leg; 0 when that leg is only used to value USDT, not traded. */
  readonly conversion: number;
}

/** One direction of the premium, priced at the sides of the books that direction's trade would hit. */
export interface DirectionQuote {
  readonly direction: Direction;
  /** VWAP on the KRW venue's <ASSET>/KRW for the trade size: bids when selling there, asks when buying. */
  readonly krwPrice: number;
  /** VWAP on the USDT venue's <ASSET>/USDT for the trade size: asks when buying there, bids when selling. */
  readonly usdtPrice: number;
  /** USDT that the USDT leg costs (buying, fee included) or yields (selling, fee deducted). */
  readonly usdtAmount: number;
  /**
   * KRW per USDT used to bring that USDT into KRW: the VWAP of the KRW venue's USDT/KRW asks for
   * `usdtAmount` (USDT must be bought back) or bids (USDT is sold), or the configured FX rate.
   */
  readonly usdtKrw: number;
  /** The same ratio without any fee. */
  readonly grossPremium: number;
  /** KRW received per KRW spent, minus one, after every taker fee. See `computePremium`. */
  readonly netPremium: number;
}

export interface PremiumQuote {
  /** Trade size in base units (e.g. BTC) the VWAPs were computed for. */
  readonly size: number;
  /** False when a side could not fill `size` (or a book side is empty); the premiums are then NaN. */
  readonly ok: boolean;
  readonly conversion: 'usdt-book' | 'fx';
  /** Monitoring number, mid prices, no fees: krwMid / (usdtMid × usdtKrwMid) − 1. */
  readonly midPremium: number;
  readonly sellKrw: DirectionQuote;
  readonly buyKrw: DirectionQuote;
}

class MutableDirectionQuote implements DirectionQuote {
  krwPrice = Number.NaN;
  usdtPrice = Number.NaN;
  usdtAmount = Number.NaN;
  usdtKrw = Number.NaN;
  grossPremium = Number.NaN;
  netPremium = Number.NaN;
  constructor(readonly direction: Direction) {}
}

/** A premium quote that `computePremium` overwrites in place, so the hot path allocates nothing. */
export class MutablePremiumQuote implements PremiumQuote {
  size = Number.NaN;
  ok = false;
  conversion: 'usdt-book' | 'fx' = 'usdt-book';
  midPremium = Number.NaN;
  readonly sellKrw = new MutableDirectionQuote('sell_krw_buy_usdt');
  readonly buyKrw = new MutableDirectionQuote('buy_krw_sell_usdt');
}

/**
 * Computes both directions of the net premium for `size` base units of one asset.
 *
 * Sell on the KRW venue / buy on the USDT venue (positive when the asset is dearer in KRW — the
 * kimchi premium):
 * ```
 * usdtAmount = size × usdtAskVwap × (1 + fee_usdt)                       USDT spent on the USDT venue
 * krwIn      = size × krwBidVwap × (1 − fee_krw)                         KRW received on the KRW venue
 * krwOut     = usdtAmount × usdtKrwAskVwap(usdtAmount) × (1 + fee_conv)  KRW it takes to buy that USDT back
 * netPremium = krwIn / krwOut − 1
 * ```
 * Buy on the KRW venue / sell on the USDT venue (positive when the asset is dearer in USDT):
 * ```
 * usdtAmount = size × usdtBidVwap × (1 − fee_usdt)                       USDT received on the USDT venue
 * krwIn      = usdtAmount × usdtKrwBidVwap(usdtAmount) × (1 − fee_conv)  KRW that USDT sells for
 * krwOut     = size × krwAskVwap × (1 + fee_krw)                         KRW spent on the KRW venue
 * netPremium = krwIn / krwOut − 1
 * ```
 * So a net premium of 0.01 means: doing that pair of taker trades now returns 1.01 KRW for every KRW
 * it costs, after fees, with USDT valued at what it trades for on the KRW venue's USDT/KRW book. With a
 * number instead of a book (`conversion` = FX rate in KRW per USDT), that rate prices both ways and
 * no conversion fee applies. Returns `out.ok`.
 */
export function computePremium(
  krw: OrderBookSnapshot,
  usdt: OrderBookSnapshot,
  conversion: OrderBookSnapshot | number,
  size: number,
  fees: PremiumFees,
  out: MutablePremiumQuote,
): boolean {
  const fx = typeof conversion === 'number';
  const conversionFee = fx ? 0 : fees.conversion;
  out.size = size;
  out.conversion = fx ? 'fx' : 'usdt-book';

  const sell = out.sellKrw;
  sell.krwPrice = fullFillPrice(krw.bids, size);
  sell.usdtPrice = fullFillPrice(usdt.asks, size);
  sell.usdtAmount = size * sell.usdtPrice * (1 + fees.usdt);
  sell.usdtKrw = fx ? conversion : fullFillPrice(conversion.asks, sell.usdtAmount);
  sell.grossPremium = sell.krwPrice / (sell.usdtPrice * sell.usdtKrw) - 1;
  sell.netPremium =
    (size * sell.krwPrice * (1 - fees.krw)) / (sell.usdtAmount * sell.usdtKrw * (1 + conversionFee)) - 1;

  const buy = out.buyKrw;
  buy.krwPrice = fullFillPrice(krw.asks, size);
  buy.usdtPrice = fullFillPrice(usdt.bids, size);
  buy.usdtAmount = size * buy.usdtPrice * (1 - fees.usdt);
  buy.usdtKrw = fx ? conversion : fullFillPrice(conversion.bids, buy.usdtAmount);
  buy.grossPremium = (buy.usdtPrice * buy.usdtKrw) / buy.krwPrice - 1;
  buy.netPremium =
    (buy.usdtAmount * buy.usdtKrw * (1 - conversionFee)) / (size * buy.krwPrice * (1 + fees.krw)) - 1;

  const conversionMid = fx ? conversion : bookMid(conversion);
  out.midPremium = bookMid(krw) / (bookMid(usdt) * conversionMid) - 1;
  out.ok = Number.isFinite(sell.netPremium) && Number.isFinite(buy.netPremium);
  return out.ok;
}

/** Allocating convenience form of `computePremium`, for callers off the hot path. */
export function quotePremium(
  krw: OrderBookSnapshot,
  usdt: OrderBookSnapshot,
  conversion: OrderBookSnapshot | number,
  size: number,
  fees: PremiumFees,
): PremiumQuote {
  const out = new MutablePremiumQuote();
  computePremium(krw, usdt, conversion, size, fees, out);
  return out;
}

export function directionQuote(quote: PremiumQuote, direction: Direction): DirectionQuote {
  return direction === 'sell_krw_buy_usdt' ? quote.sellKrw : quote.buyKrw;
}

/**
 * The premium of an open pair measured at the sides its unwind would hit, net of the unwind's fees.
 * For a pair opened selling in KRW, unwinding means buying in KRW and selling in USDT, so this is
 * how much dearer the asset still is in KRW: 1 / (1 + buyKrw.netPremium) − 1 (and symmetrically).
 * A pair is closed when this falls to the exit threshold.
 */
export function exitPremium(quote: PremiumQuote, openedDirection: Direction): number {
  const unwind = openedDirection === 'sell_krw_buy_usdt' ? quote.buyKrw : quote.sellKrw;
  return 1 / (1 + unwind.netPremium) - 1;
}

/** (best bid + best ask) / 2; NaN when a side is empty. */
export function bookMid(book: {
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
}): number {
  const bid = book.bids[0];
  const ask = book.asks[0];
  return bid && ask ? (bid[0] + ask[0]) / 2 : Number.NaN;
}
