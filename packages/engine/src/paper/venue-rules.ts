import type { VenueDescription } from '@arbitrage/core';

/** Lot size and minimum notional per market, as each venue's description gives them. */
export class VenueRules {
  constructor(private readonly venues: Readonly<Record<string, VenueDescription>>) {}

  /** `size` rounded down to a whole number of lots (unchanged when no lot size is known). */
  floorToLot(exchange: string, symbol: string, size: number): number {
    const lot = this.venues[exchange]?.marketRules(symbol)?.lotSize;
    if (!lot || !(lot > 0)) return size;
    const lots = Math.floor(size / lot + 1e-9);
    const decimals = decimalPlaces(lot);
    return Number((lots * lot).toFixed(decimals));
  }

  /** Whether `notional` (quote currency) meets the market's minimum order value. */
  meetsMinNotional(exchange: string, symbol: string, notional: number): boolean {
    const minimum = this.venues[exchange]?.marketRules(symbol)?.minNotional;
    return minimum === undefined || notional >= minimum;
  }
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
