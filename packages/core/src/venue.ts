/** Fee rates as fractions of the traded value: 0.0005 is 0.05 %. */
export interface VenueFees {
  /** Charged on orders that take liquidity (market orders, crossing limit orders). */
  readonly taker: number;
  /** Charged on resting orders that are filled later. */
  readonly maker: number;
}

/** The order rules of one market. A rule the venue does not publish is undefined. */
export interface MarketRules {
  /**
   * Price step at `price`, in the quote currency. A function, not a number, because some grids
   * change with the price (Upbit's KRW grid does).
   */
  tickSize(price: number): number | undefined;
  /** Smallest size increment, in base units. */
  readonly lotSize: number | undefined;
  /** Smallest order value, in the quote currency. */
  readonly minNotional: number | undefined;
}

/**
 * What a venue is to a strategy, apart from its wire protocol: the currency its markets are quoted
 * in, what it charges, and each market's order rules. Consumers choose venues by this description
 * (the KRW leg is the venue quoting in KRW), never by exchange id.
 */
export interface VenueDescription {
  /** Quote currency of the markets this venue is used for: 'KRW' (Upbit), 'USDT' (Binance). */
  readonly quoteCurrency: 'KRW' | 'USDT' | (string & {});
  /** The venue's standard rates on those markets; an account may pay less. */
  readonly fees: VenueFees;
  /** Rules for a canonical symbol ('BTC/KRW'); undefined when the venue does not list it. */
  marketRules(symbol: string): MarketRules | undefined;
}
