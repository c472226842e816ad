import { InvalidMessageError, type MarketInfo, MarketSymbolMapper } from '@arbitrage/core';

export const BINANCE_EXCHANGE_ID = 'binance';

const NATIVE_PATTERN = /^[A-Z0-9]+$/;

/** The most traded USDT pairs, used when exchangeInfo cannot be loaded. No filters are known for them. */
export const FALLBACK_USDT_BASES: readonly string[] = [
  'BTC',
  'ETH',
  'BNB',
  'XRP',
  'SOL',
  'USDC',
  'DOGE',
  'ADA',
  'TRX',
  'AVAX',
  'LINK',
  'DOT',
  'BCH',
  'LTC',
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

export function fallbackMarkets(): MarketInfo[] {
  return FALLBACK_USDT_BASES.map((base) => ({
    exchange: BINANCE_EXCHANGE_ID,
    symbol: `${base}/USDT`,
    nativeSymbol: `${base}USDT`,
    base,
    quote: 'USDT',
  }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A positive decimal string from a filter, or undefined ("0.00000000" means "no constraint"). */
function positiveDecimal(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : undefined;
}

function invalid(reason: string): InvalidMessageError {
  return new InvalidMessageError(
    BINANCE_EXCHANGE_ID,
    reason,
    `Binance exchangeInfo is not usable: ${reason}; the built-in market list stays in use`,
  );
}

/**
 * Builds MarketInfo from GET /api/v3/exchangeInfo: symbol, baseAsset, quoteAsset and the
 * PRICE_FILTER tickSize, LOT_SIZE stepSize and MIN_NOTIONAL/NOTIONAL minNotional filters.
 * Entries that are not well formed are skipped; a body without a `symbols` array is an error.
 */
export function marketsFromExchangeInfo(body: unknown): MarketInfo[] {
  if (!isRecord(body) || !Array.isArray(body.symbols)) throw invalid('no "symbols" array');
  const markets: MarketInfo[] = [];
  for (const entry of body.symbols) {
    if (!isRecord(entry)) continue;
    const { symbol, baseAsset, quoteAsset } = entry;
    if (typeof symbol !== 'string' || typeof baseAsset !== 'string' || typeof quoteAsset !== 'string')
      continue;
    if (!NATIVE_PATTERN.test(symbol) || !NATIVE_PATTERN.test(baseAsset) || !NATIVE_PATTERN.test(quoteAsset)) {
      continue;
    }
    let tickSize: number | undefined;
    let lotSize: number | undefined;
    let minNotional: number | undefined;
    for (const filter of Array.isArray(entry.filters) ? entry.filters : []) {
      if (!isRecord(filter)) continue;
      switch (filter.filterType) {
        case 'PRICE_FILTER':
          tickSize = positiveDecimal(filter.tickSize);
          break;
        case 'LOT_SIZE':
          lotSize = positiveDecimal(filter.stepSize);
          break;
        case 'MIN_NOTIONAL':
        case 'NOTIONAL':
          minNotional = positiveDecimal(filter.minNotional) ?? minNotional;
          break;
      }
    }
    markets.push({
      exchange: BINANCE_EXCHANGE_ID,
      symbol: `${baseAsset}/${quoteAsset}`,
      nativeSymbol: symbol,
      base: baseAsset,
      quote: quoteAsset,
      ...(tickSize === undefined ? {} : { tickSize }),
      ...(lotSize === undefined ? {} : { lotSize }),
      ...(minNotional === undefined ? {} : { minNotional }),
    });
  }
  return markets;
}

/**
 * Binance symbols <-> canonical symbols ('BTCUSDT' <-> 'BTC/USDT'). A native symbol has no
 * separator, so the split comes from exchangeInfo (baseAsset/quoteAsset) or the built-in fallback,
 * never from guessing where the base ends.
 */
export class BinanceSymbolMapper extends MarketSymbolMapper {
  constructor(markets: readonly MarketInfo[] = fallbackMarkets()) {
    super(
      {
        exchangeName: 'Binance',
        nativePattern: NATIVE_PATTERN,
        canonicalExample: 'BTC/USDT',
        nativeExample: 'BTCUSDT',
      },
      markets,
    );
  }
}
