import { ConfigError } from '@arbitrage/core';

/** Binance spot filters for one symbol, as GET /api/v3/exchangeInfo publishes them. */
export interface BinanceFilters {
  /** PRICE_FILTER.tickSize (a power of ten). */
  readonly tickSize: number;
  /** LOT_SIZE.stepSize (a power of ten). */
  readonly stepSize: number;
  readonly minQty: number;
  readonly maxQty: number;
  /** NOTIONAL.minNotional in USDT. */
  readonly minNotional: number;
}

/** OKX <BASE>-USDT instrument rules, as GET /api/v5/public/instruments publishes them. */
export interface OkxInstrumentRules {
  /** `tickSz` (a power of ten). */
  readonly tickSize: number;
  /** `lotSz` (a power of ten). */
  readonly lotSize: number;
  /** `minSz`, in base units. */
  readonly minSize: number;
}

/** One asset of the simulated market. */
export interface AssetSpec {
  /** Upper-case ticker, e.g. 'BTC'. */
  readonly base: string;
  readonly englishName: string;
  readonly koreanName: string;
  /** Starting USD price. */
  readonly usdPrice: number;
  /** Annualised volatility of the USD price (0.6 = 60 %). */
  readonly annualVolatility: number;
  /** Median value of one book level near the top, in USD. */
  readonly levelNotionalUsd: number;
  /** Binance <BASE>USDT filters. */
  readonly binance: BinanceFilters;
  /** OKX <BASE>-USDT rules; default: Binance's tick and step. */
  readonly okx?: OkxInstrumentRules;
  /** Where the asset is listed; default: on all three (Upbit KRW, Binance USDT, OKX USDT). */
  readonly listedOn?: VenueFlags;
  /** Book updates per second per venue; default: each exchange's `updatesPerSecond` option. */
  readonly updatesPerSecond?: VenueRates;
}

/** Which venues list an asset (absent = listed). */
export interface VenueFlags {
  readonly upbit?: boolean;
  readonly binance?: boolean;
  readonly okx?: boolean;
}

/** Per-venue book update rates (absent = the exchange's default rate). */
export interface VenueRates {
  readonly upbit?: number;
  readonly binance?: number;
  readonly okx?: number;
}

/** True unless the asset says it is not listed on `venue`. */
export function isListedOn(asset: AssetSpec, venue: keyof VenueFlags): boolean {
  return asset.listedOn?.[venue] !== false;
}

/** The OKX rules of an asset (its own, or Binance's tick and step when it has none). */
export function okxRules(asset: AssetSpec): OkxInstrumentRules {
  return (
    asset.okx ?? {
      tickSize: asset.binance.tickSize,
      lotSize: asset.binance.stepSize,
      minSize: asset.binance.minQty,
    }
  );
}

/** Assets the simulator knows out of the box (filters as Binance publishes them for <BASE>USDT). */
export const KNOWN_ASSETS: Readonly<Record<string, AssetSpec>> = {
  BTC: {
    base: 'BTC',
    englishName: 'Bitcoin',
    koreanName: '비트코인',
    usdPrice: 100_000,
    annualVolatility: 0.6,
    levelNotionalUsd: 2_000,
    binance: { tickSize: 0.01, stepSize: 0.00001, minQty: 0.00001, maxQty: 9000, minNotional: 5 },
    okx: { tickSize: 0.1, lotSize: 0.00000001, minSize: 0.00001 },
  },
  ETH: {
    base: 'ETH',
    englishName: 'Ethereum',
    koreanName: '이더리움',
    usdPrice: 3_500,
    annualVolatility: 0.75,
    levelNotionalUsd: 1_500,
    binance: { tickSize: 0.01, stepSize: 0.0001, minQty: 0.0001, maxQty: 9000, minNotional: 5 },
    okx: { tickSize: 0.01, lotSize: 0.000001, minSize: 0.0001 },
  },
  XRP: {
    base: 'XRP',
    englishName: 'XRP',
    koreanName: '엑스알피(리플)',
    usdPrice: 2.5,
    annualVolatility: 0.9,
    levelNotionalUsd: 1_000,
    binance: { tickSize: 0.0001, stepSize: 0.1, minQty: 0.1, maxQty: 9_222_449, minNotional: 5 },
    okx: { tickSize: 0.0001, lotSize: 0.000001, minSize: 0.1 },
  },
  SOL: {
    base: 'SOL',
    englishName: 'Solana',
    koreanName: '솔라나',
    usdPrice: 180,
    annualVolatility: 0.9,
    levelNotionalUsd: 1_000,
    binance: { tickSize: 0.01, stepSize: 0.001, minQty: 0.001, maxQty: 9000, minNotional: 5 },
    okx: { tickSize: 0.01, lotSize: 0.000001, minSize: 0.001 },
  },
  DOGE: {
    base: 'DOGE',
    englishName: 'Dogecoin',
    koreanName: '도지코인',
    usdPrice: 0.25,
    annualVolatility: 1.0,
    levelNotionalUsd: 800,
    binance: { tickSize: 0.00001, stepSize: 1, minQty: 1, maxQty: 9_000_000, minNotional: 1 },
    okx: { tickSize: 0.00001, lotSize: 0.000001, minSize: 10 },
  },
};

export const DEFAULT_ASSETS: readonly string[] = ['BTC', 'ETH', 'XRP'];

/** Resolves asset names or full specs; unknown names are a ConfigError that lists the known ones. */
export function resolveAssets(assets: ReadonlyArray<string | AssetSpec> | undefined): AssetSpec[] {
  const list = assets ?? DEFAULT_ASSETS;
  if (list.length === 0) throw new ConfigError('assets must name at least one asset, e.g. ["BTC"]');
  const seen = new Set<string>();
  return list.map((entry) => {
    const spec = typeof entry === 'string' ? KNOWN_ASSETS[entry.toUpperCase()] : entry;
    if (!spec) {
      throw new ConfigError(
        `unknown asset "${String(entry)}": use one of ${Object.keys(KNOWN_ASSETS).join(', ')} or pass a full AssetSpec`,
      );
    }
    if (spec.base === 'USDT')
      throw new ConfigError('USDT is the quote asset: KRW-USDT is always listed on Upbit');
    if (seen.has(spec.base)) throw new ConfigError(`asset ${spec.base} is listed twice`);
    if (!(spec.usdPrice > 0) || !(spec.annualVolatility >= 0)) {
      throw new ConfigError(`asset ${spec.base}: usdPrice must be > 0 and annualVolatility >= 0`);
    }
    for (const [venue, rate] of Object.entries(spec.updatesPerSecond ?? {})) {
      if (rate !== undefined && !(rate > 0 && rate <= 100_000)) {
        throw new ConfigError(
          `asset ${spec.base}: updatesPerSecond.${venue} must be in (0, 100000], got ${rate}`,
        );
      }
    }
    seen.add(spec.base);
    return spec;
  });
}
