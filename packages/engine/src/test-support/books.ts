import type { OrderBookSnapshot, PriceLevel } from '@arbitrage/core';

const NATIVE: Record<string, (base: string, quote: string) => string> = {
  upbit: (base, quote) => `${quote}-${base}`,
  binance: (base, quote) => `${base}${quote}`,
};

/** A snapshot for tests: levels best first, as a provider would hand it over. */
export function book(
  exchange: string,
  symbol: string,
  bids: readonly PriceLevel[],
  asks: readonly PriceLevel[],
  receivedAt: number,
): OrderBookSnapshot {
  const [base, quote] = symbol.split('/') as [string, string];
  return {
    exchange,
    symbol,
    nativeSymbol: (NATIVE[exchange] ?? ((b, q) => `${b}${q}`))(base, quote),
    bids,
    asks,
    exchangeTime: receivedAt,
    receivedAt,
    source: 'ws',
  };
}

/** A one-level-deep book around `mid` with a relative spread, deep enough for any test size. */
export function flatBook(
  exchange: string,
  symbol: string,
  mid: number,
  receivedAt: number,
  spread = 0.0002,
  depth = 1_000_000,
): OrderBookSnapshot {
  return book(
    exchange,
    symbol,
    [[mid * (1 - spread / 2), depth]],
    [[mid * (1 + spread / 2), depth]],
    receivedAt,
  );
}
