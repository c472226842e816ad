import type { OrderBookSnapshot, PriceLevel } from '@arbitrage/core';
import type { Direction } from './types.js';
import { fullFillPrice } from './vwap.js';

/** Taker fees as fractions (0.0005 = 0.05 %). */
export interface PremiumFees {
  /** Upbit KRW market taker fee. */
  readonly upbit: number;
  /** Binance spot taker fee. */
  readonly binance: number;
  /** Fee on the KRW-USDT conversion leg; 0 when that leg is only used to value USDT, not traded. */
  readonly conversion: number;
}

/** One direction of the premium, priced at the sides of the books that direction's trade would hit. */
export interface DirectionQuote {
  readonly direction: Direction;
  /** VWAP on Upbit KRW-<ASSET> for the trade size: bids when selling there, asks when buying. */
  readonly upbitPrice: number;
  /** VWAP on Binance <ASSET>USDT for the trade size: asks when buying there, bids when selling. */
  readonly binancePrice: number;
  /** USDT that the Binance leg costs (buying, fee included) or yields (selling, fee deducted). */
  readonly usdtAmount: number;
  /**
   * KRW per USDT used to bring that USDT into KRW: the VWAP of Upbit's USDT/KRW asks for
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
  /** Monitoring number, mid prices, no fees: upbitMid / (binanceMid × usdtKrwMid) − 1. */
  readonly midPremium: number;
  readonly sellUpbit: DirectionQuote;
  readonly buyUpbit: DirectionQuote;
}

class MutableDirectionQuote implements DirectionQuote {
  upbitPrice = Number.NaN;
  binancePrice = Number.NaN;
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
  readonly sellUpbit = new MutableDirectionQuote('sell_upbit_buy_binance');
  readonly buyUpbit = new MutableDirectionQuote('buy_upbit_sell_binance');
}

/**
 * Computes both directions of the net premium for `size` base units of one asset.
 *
 * Sell on Upbit / buy on Binance (positive when the asset is dearer on Upbit — the kimchi premium):
 * ```
 * usdtAmount = size × binanceAskVwap × (1 + fee_binance)                 USDT spent on Binance
 * krwIn      = size × upbitBidVwap × (1 − fee_upbit)                     KRW received on Upbit
 * krwOut     = usdtAmount × usdtKrwAskVwap(usdtAmount) × (1 + fee_conv)  KRW it takes to buy that USDT back
 * netPremium = krwIn / krwOut − 1
 * ```
 * Buy on Upbit / sell on Binance (positive when the asset is dearer on Binance):
 * ```
 * usdtAmount = size × binanceBidVwap × (1 − fee_binance)                 USDT received on Binance
 * krwIn      = usdtAmount × usdtKrwBidVwap(usdtAmount) × (1 − fee_conv)  KRW that USDT sells for on Upbit
 * krwOut     = size × upbitAskVwap × (1 + fee_upbit)                     KRW spent on Upbit
 * netPremium = krwIn / krwOut − 1
 * ```
 * So a net premium of 0.01 means: doing that pair of taker trades now returns 1.01 KRW for every KRW
 * it costs, after fees, with USDT valued at what it trades for on Upbit's KRW-USDT book. With a
 * number instead of a book (`conversion` = FX rate in KRW per USDT), that rate prices both ways and
 * no conversion fee applies. Returns `out.ok`.
 */
export function computePremium(
  upbit: OrderBookSnapshot,
  binance: OrderBookSnapshot,
  conversion: OrderBookSnapshot | number,
  size: number,
  fees: PremiumFees,
  out: MutablePremiumQuote,
): boolean {
  const fx = typeof conversion === 'number';
  const conversionFee = fx ? 0 : fees.conversion;
  out.size = size;
  out.conversion = fx ? 'fx' : 'usdt-book';

  const sell = out.sellUpbit;
  sell.upbitPrice = fullFillPrice(upbit.bids, size);
  sell.binancePrice = fullFillPrice(binance.asks, size);
  sell.usdtAmount = size * sell.binancePrice * (1 + fees.binance);
  sell.usdtKrw = fx ? conversion : fullFillPrice(conversion.asks, sell.usdtAmount);
  sell.grossPremium = sell.upbitPrice / (sell.binancePrice * sell.usdtKrw) - 1;
  sell.netPremium =
    (size * sell.upbitPrice * (1 - fees.upbit)) / (sell.usdtAmount * sell.usdtKrw * (1 + conversionFee)) - 1;

  const buy = out.buyUpbit;
  buy.upbitPrice = fullFillPrice(upbit.asks, size);
  buy.binancePrice = fullFillPrice(binance.bids, size);
  buy.usdtAmount = size * buy.binancePrice * (1 - fees.binance);
  buy.usdtKrw = fx ? conversion : fullFillPrice(conversion.bids, buy.usdtAmount);
  buy.grossPremium = (buy.binancePrice * buy.usdtKrw) / buy.upbitPrice - 1;
  buy.netPremium =
    (buy.usdtAmount * buy.usdtKrw * (1 - conversionFee)) / (size * buy.upbitPrice * (1 + fees.upbit)) - 1;

  const conversionMid = fx ? conversion : mid(conversion.bids, conversion.asks);
  out.midPremium = mid(upbit.bids, upbit.asks) / (mid(binance.bids, binance.asks) * conversionMid) - 1;
  out.ok = Number.isFinite(sell.netPremium) && Number.isFinite(buy.netPremium);
  return out.ok;
}

/** Allocating convenience form of `computePremium`, for callers off the hot path. */
export function quotePremium(
  upbit: OrderBookSnapshot,
  binance: OrderBookSnapshot,
  conversion: OrderBookSnapshot | number,
  size: number,
  fees: PremiumFees,
): PremiumQuote {
  const out = new MutablePremiumQuote();
  computePremium(upbit, binance, conversion, size, fees, out);
  return out;
}

export function directionQuote(quote: PremiumQuote, direction: Direction): DirectionQuote {
  return direction === 'sell_upbit_buy_binance' ? quote.sellUpbit : quote.buyUpbit;
}

/**
 * The premium of an open pair measured at the sides its unwind would hit, net of the unwind's fees.
 * For a pair opened selling on Upbit, unwinding means buying on Upbit and selling on Binance, so
 * this is how much dearer Upbit still is: 1 / (1 + buyUpbit.netPremium) − 1 (and symmetrically).
 * A pair is closed when this falls to the exit threshold.
 */
export function exitPremium(quote: PremiumQuote, openedDirection: Direction): number {
  const unwind = openedDirection === 'sell_upbit_buy_binance' ? quote.buyUpbit : quote.sellUpbit;
  return 1 / (1 + unwind.netPremium) - 1;
}

function mid(bids: readonly PriceLevel[], asks: readonly PriceLevel[]): number {
  const bid = bids[0];
  const ask = asks[0];
  return bid && ask ? (bid[0] + ask[0]) / 2 : Number.NaN;
}
