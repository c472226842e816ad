import type { ResolvedBinance } from '../config.js';
import type { BinanceSymbolBook } from '../model/binance-book.js';
import { formatPadded } from '../model/decimal.js';

const ORDER_TYPES = [
  'LIMIT',
  'LIMIT_MAKER',
  'MARKET',
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
];
const STP_MODES = ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH', 'DECREMENT'];

function eight(value: number): string {
  // Filter values are exact powers of ten or small integers: toFixed(8) writes them exactly.
  return value.toFixed(8);
}

/** One entry of `symbols` in GET /api/v3/exchangeInfo, shaped like the live response. */
export function symbolInfo(book: BinanceSymbolBook): Record<string, unknown> {
  const filters = book.asset.binance;
  return {
    symbol: book.symbol,
    status: 'TRADING',
    baseAsset: book.asset.base,
    baseAssetPrecision: 8,
    quoteAsset: 'USDT',
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ORDER_TYPES,
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    amendAllowed: true,
    pegInstructionsAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: true,
    filters: [
      {
        filterType: 'PRICE_FILTER',
        minPrice: formatPadded(1, book.tickDecimals, 8),
        maxPrice: eight(1_000_000),
        tickSize: formatPadded(1, book.tickDecimals, 8),
      },
      {
        filterType: 'LOT_SIZE',
        minQty: eight(filters.minQty),
        maxQty: eight(filters.maxQty),
        stepSize: formatPadded(1, book.lotDecimals, 8),
      },
      { filterType: 'ICEBERG_PARTS', limit: 10 },
      {
        filterType: 'MARKET_LOT_SIZE',
        minQty: eight(0),
        maxQty: eight(filters.maxQty / 10),
        stepSize: eight(0),
      },
      {
        filterType: 'TRAILING_DELTA',
        minTrailingAboveDelta: 10,
        maxTrailingAboveDelta: 2000,
        minTrailingBelowDelta: 10,
        maxTrailingBelowDelta: 2000,
      },
      {
        filterType: 'PERCENT_PRICE_BY_SIDE',
        bidMultiplierUp: '5',
        bidMultiplierDown: '0.2',
        askMultiplierUp: '5',
        askMultiplierDown: '0.2',
        avgPriceMins: 5,
      },
      {
        filterType: 'NOTIONAL',
        minNotional: eight(filters.minNotional),
        applyMinToMarket: true,
        maxNotional: eight(9_000_000),
        applyMaxToMarket: false,
        avgPriceMins: 5,
      },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
    ],
    permissions: [],
    permissionSets: [['SPOT', 'MARGIN']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: STP_MODES,
  };
}

export function exchangeInfoBody(
  books: readonly BinanceSymbolBook[],
  config: ResolvedBinance,
  now: number,
): string {
  return JSON.stringify({
    timezone: 'UTC',
    serverTime: now,
    rateLimits: [
      {
        rateLimitType: 'REQUEST_WEIGHT',
        interval: 'MINUTE',
        intervalNum: 1,
        limit: config.weightLimitPerMinute,
      },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200_000 },
      { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 300_000 },
    ],
    exchangeFilters: [],
    symbols: books.map(symbolInfo),
  });
}
