import { type MarketInfo, type SymbolMapper, UnknownSymbolError } from '@arbitrage/core';
import { BTC_MARKET_TICK, MIN_ORDER_VALUE } from './tick-size.js';

export const UPBIT_EXCHANGE_ID = 'upbit';

/** Upbit market codes are QUOTE-BASE, upper case: 'KRW-BTC'. */
const NATIVE_PATTERN = /^([A-Z0-9]+)-([A-Z0-9]+)$/;
const CANONICAL_PATTERN = /^([A-Z0-9]+)\/([A-Z0-9]+)$/;

/** Markets used when /v1/market/all cannot be loaded: the most traded KRW pairs. */
export const FALLBACK_KRW_BASES: readonly string[] = [
  'BTC',
  'ETH',
  'XRP',
  'SOL',
  'USDT',
  'USDC',
  'DOGE',
  'ADA',
  'TRX',
  'AVAX',
  'LINK',
  'DOT',
  'BCH',
  'ETC',
  'SUI',
  'XLM',
  'HBAR',
  'SHIB',
  'NEAR',
  'APT',
  'ARB',
  'SEI',
  'ONDO',
  'PEPE',
  'POL',
];

/** Builds a MarketInfo from an Upbit code; undefined when the code is not QUOTE-BASE. */
export function marketFromCode(code: string): MarketInfo | undefined {
  const match = NATIVE_PATTERN.exec(code);
  if (!match) return undefined;
  const quote = match[1]!;
  const base = match[2]!;
  const info: MarketInfo = {
    exchange: UPBIT_EXCHANGE_ID,
    symbol: `${base}/${quote}`,
    nativeSymbol: code,
    base,
    quote,
    // KRW and USDT ticks depend on the price: see krwTickSize / upbitTickSize.
    ...(quote === 'BTC' ? { tickSize: BTC_MARKET_TICK } : {}),
    ...(MIN_ORDER_VALUE[quote] === undefined ? {} : { minNotional: MIN_ORDER_VALUE[quote] }),
  };
  return info;
}

export function fallbackMarkets(): MarketInfo[] {
  return FALLBACK_KRW_BASES.map((base) => marketFromCode(`KRW-${base}`)!);
}

/**
 * Upbit codes <-> canonical symbols ('KRW-BTC' <-> 'BTC/KRW'), from the market list or, until one is
 * loaded, from the built-in fallback. Lookups are exact: the WebSocket ignores lower-case codes
 * silently, so 'krw-btc' is reported as unknown (with a hint) rather than guessed.
 */
export class UpbitSymbolMapper implements SymbolMapper {
  private byNative = new Map<string, MarketInfo>();
  private byCanonical = new Map<string, MarketInfo>();

  constructor(markets: readonly MarketInfo[] = fallbackMarkets()) {
    this.replace(markets);
  }

  /** Replaces the known markets (after /v1/market/all). */
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
    const upper = input.toUpperCase();
    let hint = '';
    if (upper !== input && (this.byNative.has(upper) || this.byCanonical.has(upper))) {
      hint = ` Upbit symbols are upper case: did you mean "${upper}"?`;
    } else if (CANONICAL_PATTERN.test(input) || NATIVE_PATTERN.test(input)) {
      hint = ' Load the market list (loadMarkets) or check that Upbit lists this market.';
    } else {
      hint = ' Use a canonical symbol such as "BTC/KRW" or an Upbit code such as "KRW-BTC".';
    }
    return new UnknownSymbolError(
      input,
      `Upbit has no market "${input}" (${this.byNative.size} known).${hint}`,
    );
  }
}
