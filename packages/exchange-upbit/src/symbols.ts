import { type MarketInfo, MarketSymbolMapper } from '@arbitrage/core';
import { BTC_MARKET_TICK, MIN_ORDER_VALUE } from './tick-size.js';

export const UPBIT_EXCHANGE_ID = 'upbit';

/** Upbit market codes are QUOTE-BASE, upper case: 'KRW-BTC'. */
const NATIVE_PATTERN = /^([A-Z0-9]+)-([A-Z0-9]+)$/;

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
export class UpbitSymbolMapper extends MarketSymbolMapper {
  constructor(markets: readonly MarketInfo[] = fallbackMarkets()) {
    super(
      {
        exchangeName: 'Upbit',
        nativePattern: NATIVE_PATTERN,
        canonicalExample: 'BTC/KRW',
        nativeExample: 'KRW-BTC',
      },
      markets,
    );
  }
}
