import { UnknownSymbolError } from './errors.js';
import type { SymbolMapper } from './plugin.js';
import type { MarketInfo } from './types.js';

const CANONICAL_PATTERN = /^([A-Z0-9]+)\/([A-Z0-9]+)$/;

/** How an exchange writes its symbols, for the hints in UnknownSymbolError. */
export interface SymbolSpelling {
  /** 'Binance', 'Upbit'. */
  readonly exchangeName: string;
  /** Matches a well-formed native symbol ('BTCUSDT', 'KRW-BTC'). */
  readonly nativePattern: RegExp;
  /** Examples shown when the input is not a symbol at all. */
  readonly canonicalExample: string;
  readonly nativeExample: string;
}

/**
 * Native <-> canonical symbols from an exchange's market list. Lookups are exact (exchanges ignore
 * or reject lower-case symbols), and an unknown symbol is an UnknownSymbolError with a hint.
 */
export class MarketSymbolMapper implements SymbolMapper {
  private byNative = new Map<string, MarketInfo>();
  private byCanonical = new Map<string, MarketInfo>();

  constructor(
    private readonly spelling: SymbolSpelling,
    markets: readonly MarketInfo[],
  ) {
    this.replace(markets);
  }

  /** Replaces the known markets (after the market list was loaded). */
  replace(markets: readonly MarketInfo[]): void {
    const byNative = new Map<string, MarketInfo>();
    const byCanonical = new Map<string, MarketInfo>();
    for (const market of markets) {
      byNative.set(market.nativeSymbol, market);
      byCanonical.set(market.symbol, market);
    }
    this.byNative = byNative;
    this.byCanonical = byCanonical;
  }

  toCanonical(nativeSymbol: string): string {
    const market = this.byNative.get(nativeSymbol);
    if (!market) throw this.unknown(nativeSymbol);
    return market.symbol;
  }

  toNative(symbol: string): string {
    const market = this.byCanonical.get(symbol);
    if (!market) throw this.unknown(symbol);
    return market.nativeSymbol;
  }

  has(symbolOrNative: string): boolean {
    return this.byCanonical.has(symbolOrNative) || this.byNative.has(symbolOrNative);
  }

  market(symbolOrNative: string): MarketInfo | undefined {
    return this.byCanonical.get(symbolOrNative) ?? this.byNative.get(symbolOrNative);
  }

  markets(): readonly MarketInfo[] {
    return [...this.byNative.values()];
  }

  private unknown(input: string): UnknownSymbolError {
    const { exchangeName, nativePattern, canonicalExample, nativeExample } = this.spelling;
    const upper = input.toUpperCase();
    let hint: string;
    if (upper !== input && this.has(upper)) {
      hint = ` ${exchangeName} symbols are upper case: did you mean "${upper}"?`;
    } else if (CANONICAL_PATTERN.test(input) || nativePattern.test(input)) {
      hint = ` Load the market list (loadMarkets) or check that ${exchangeName} lists this market.`;
    } else {
      hint = ` Use a canonical symbol such as "${canonicalExample}" or the ${exchangeName} spelling, such as "${nativeExample}".`;
    }
    return new UnknownSymbolError(
      input,
      `${exchangeName} has no market "${input}" (${this.byNative.size} known).${hint}`,
    );
  }
}
