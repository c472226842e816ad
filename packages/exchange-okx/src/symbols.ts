import { InvalidMessageError, type MarketInfo, MarketSymbolMapper } from '@arbitrage/core';

export const OKX_EXCHANGE_ID = 'okx';

/** OKX spot instrument ids: base and quote joined by a dash ('BTC-USDT'), docs/protocols/okx.md E1. */
const NATIVE_PATTERN = /^[A-Z0-9]+-[A-Z0-9]+$/;
const ASSET_PATTERN = /^[A-Z0-9]+$/;

/** Common USDT spot pairs, used until the instrument list is loaded. No lot or tick sizes are known for them. */
export const FALLBACK_USDT_BASES: readonly string[] =
  'BTC ETH XRP SOL DOGE ADA TRX AVAX LINK DOT BCH LTC ETC SUI XLM HBAR SHIB NEAR APT ARB TON ONDO PEPE POL OKB'.split(
    ' ',
  );

/** A market as the instrument list describes it: MarketInfo plus OKX's minimum order size. */
export interface OkxMarketInfo extends MarketInfo {
  /** `minSz`: the smallest order quantity, in base units. */
  readonly minSize?: number;
}

export function fallbackMarkets(): MarketInfo[] {
  return FALLBACK_USDT_BASES.map((base) => ({
    exchange: OKX_EXCHANGE_ID,
    symbol: `${base}/USDT`,
    nativeSymbol: `${base}-USDT`,
    base,
    quote: 'USDT',
  }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A positive decimal string, or undefined. */
function positiveDecimal(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : undefined;
}

/**
 * MarketInfo from GET /api/v5/public/instruments?instType=SPOT (docs/protocols/okx.md E1): `instId`,
 * `baseCcy`, `quoteCcy`, and `tickSz`, `lotSz`, `minSz`. Only `state: "live"` instruments are kept;
 * malformed entries are skipped; a body without a `data` array is an error. OKX states no minimum
 * notional for spot: `minSz` is a minimum quantity, kept as `minSize`.
 */
export function marketsFromInstruments(body: unknown): OkxMarketInfo[] {
  if (!isRecord(body) || !Array.isArray(body.data)) {
    throw new InvalidMessageError(
      OKX_EXCHANGE_ID,
      'no "data" array',
      'OKX instruments are not usable: no "data" array; the built-in market list stays in use',
    );
  }
  const markets: OkxMarketInfo[] = [];
  for (const entry of body.data) {
    if (!isRecord(entry)) continue;
    const { instId, baseCcy, quoteCcy, state } = entry;
    if (typeof instId !== 'string' || typeof baseCcy !== 'string' || typeof quoteCcy !== 'string') continue;
    if (state !== undefined && state !== 'live') continue;
    if (!ASSET_PATTERN.test(baseCcy) || !ASSET_PATTERN.test(quoteCcy) || instId !== `${baseCcy}-${quoteCcy}`)
      continue;
    const tickSize = positiveDecimal(entry.tickSz);
    const lotSize = positiveDecimal(entry.lotSz);
    const minSize = positiveDecimal(entry.minSz);
    markets.push({
      exchange: OKX_EXCHANGE_ID,
      symbol: `${baseCcy}/${quoteCcy}`,
      nativeSymbol: instId,
      base: baseCcy,
      quote: quoteCcy,
      ...(tickSize === undefined ? {} : { tickSize }),
      ...(lotSize === undefined ? {} : { lotSize }),
      ...(minSize === undefined ? {} : { minSize }),
    });
  }
  return markets;
}

/** OKX instrument ids <-> canonical symbols ('BTC-USDT' <-> 'BTC/USDT'). */
export class OkxSymbolMapper extends MarketSymbolMapper {
  constructor(markets: readonly MarketInfo[] = fallbackMarkets()) {
    super(
      {
        exchangeName: 'OKX',
        nativePattern: NATIVE_PATTERN,
        canonicalExample: 'BTC/USDT',
        nativeExample: 'BTC-USDT',
      },
      markets,
    );
  }
}
