/** Exchange identifier: 'upbit', 'binance', or a plugin's own id. */
export type ExchangeId = string;

/** A price level: [price, size]. Both are numbers parsed once at the edge. */
export type PriceLevel = readonly [price: number, size: number];

/** The side of a book: bids (buyers) or asks (sellers). */
export type BookSide = 'bid' | 'ask';

/** A trade direction. A taker buy consumes asks; a taker sell consumes bids. */
export type TradeSide = 'buy' | 'sell';

export type SnapshotSource = 'ws' | 'rest';

/** An immutable view of one order book at one moment. */
export interface OrderBookSnapshot {
  readonly exchange: ExchangeId;
  /** Canonical BASE/QUOTE, e.g. 'BTC/KRW'. */
  readonly symbol: string;
  /** As the exchange writes it: 'KRW-BTC', 'BTCUSDT'. */
  readonly nativeSymbol: string;
  /** Best first, strictly descending prices. */
  readonly bids: readonly PriceLevel[];
  /** Best first, strictly ascending prices. */
  readonly asks: readonly PriceLevel[];
  /** Exchange update id where one exists. */
  readonly sequence?: number;
  /** ms since epoch, from the exchange. */
  readonly exchangeTime: number;
  /** ms since epoch, local clock. */
  readonly receivedAt: number;
  readonly source: SnapshotSource;
}

/** Static facts about one tradable market, as loaded from the exchange's market list. */
export interface MarketInfo {
  readonly exchange: ExchangeId;
  readonly symbol: string;
  readonly nativeSymbol: string;
  readonly base: string;
  readonly quote: string;
  /** Smallest price increment where the exchange publishes one (Upbit's varies with price: see the plugin). */
  readonly tickSize?: number;
  /** Smallest size increment. */
  readonly lotSize?: number;
  /** Smallest order value in quote currency. */
  readonly minNotional?: number;
}

/** The result of walking one side of a book for a given size. */
export interface VwapResult {
  /** Volume-weighted average price of what could be filled. NaN when nothing could. */
  readonly averagePrice: number;
  /** How much of the requested size the book could fill (≤ requested). */
  readonly filledSize: number;
  /** Sum of price × size over the filled part, in quote currency. */
  readonly notional: number;
  /** Price of the last (worst) level touched. */
  readonly worstPrice: number;
  /** Number of levels touched. */
  readonly levels: number;
}
