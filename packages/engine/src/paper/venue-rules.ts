import type { MarketInfo } from '@arbitrage/core';

/** Lot size and minimum notional per market, where the exchange's MarketInfo gives them. */
export class MarketRules {
  private readonly markets = new Map<string, MarketInfo>();

  constructor(markets: readonly MarketInfo[] = []) {
    for (const market of markets) this.markets.set(key(market.exchange, market.symbol), market);
  }

  find(exchange: string, symbol: string): MarketInfo | undefined {
    return this.markets.get(key(exchange, symbol));
  }

  /** `size` rounded down to a whole number of lots (unchanged when no lot size is known). */
  floorToLot(exchange: string, symbol: string, size: number): number {
    const lot = this.find(exchange, symbol)?.lotSize;
    if (!lot || !(lot > 0)) return size;
    const lots = Math.floor(size / lot + 1e-9);
    const decimals = decimalPlaces(lot);
    return Number((lots * lot).toFixed(decimals));
  }

  /** Whether `notional` (quote currency) meets the market's minimum order value. */
  meetsMinNotional(exchange: string, symbol: string, notional: number): boolean {
    const minimum = this.find(exchange, symbol)?.minNotional;
    return minimum === undefined || notional >= minimum;
  }
}

function key(exchange: string, symbol: string): string {
  return `${exchange}:${symbol}`;
}

/** Decimal places needed to write `value` exactly as given (0.00001 → 5, 0.25 → 2, 1e-8 → 8). */
function decimalPlaces(value: number): number {
  const text = value.toString();
  const exponent = /e-(\d+)$/.exec(text);
  if (exponent) {
    const mantissa = text.slice(0, exponent.index);
    const dot = mantissa.indexOf('.');
    return Number(exponent[1]) + (dot < 0 ? 0 : mantissa.length - dot - 1);
  }
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}
