/**
 * Which way a hedged pair trades the asset.
 * - 'sell_upbit_buy_binance': the asset is dearer on Upbit (the usual "kimchi premium"): sell it on
 *   Upbit for KRW, buy the same quantity on Binance with USDT.
 * - 'buy_upbit_sell_binance': the asset is dearer on Binance (a "reverse premium"): buy it on Upbit
 *   with KRW, sell the same quantity on Binance for USDT.
 */
export type Direction = 'sell_upbit_buy_binance' | 'buy_upbit_sell_binance';

export const DIRECTIONS: readonly Direction[] = ['sell_upbit_buy_binance', 'buy_upbit_sell_binance'];

/** The direction that unwinds a pair opened in `direction`. */
export function oppositeDirection(direction: Direction): Direction {
  return direction === 'sell_upbit_buy_binance' ? 'buy_upbit_sell_binance' : 'sell_upbit_buy_binance';
}

/** A market on an exchange, as the engine addresses books: exchange id plus canonical symbol. */
export interface MarketRef {
  readonly exchange: string;
  /** Canonical BASE/QUOTE, e.g. 'BTC/KRW'. */
  readonly symbol: string;
}
