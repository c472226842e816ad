import { UnknownSymbolError } from '../errors.js';
import type {
  ExchangePlugin,
  ExchangeRestClient,
  FetchOrderBooksOptions,
  OrderBookStream,
  SymbolMapper,
} from '../plugin.js';
import type { MarketInfo, OrderBookSnapshot } from '../types.js';
import type { VenueDescription } from '../venue.js';

/** A symbol mapper over a fixed list of [native, canonical] pairs. */
export function fakeMapper(exchange: string, pairs: ReadonlyArray<readonly [string, string]>): SymbolMapper {
  const markets: MarketInfo[] = pairs.map(([nativeSymbol, symbol]) => {
    const [base, quote] = symbol.split('/') as [string, string];
    return { exchange, symbol, nativeSymbol, base, quote };
  });
  const unknown = (input: string) => new UnknownSymbolError(input, `${exchange} does not list "${input}"`);
  return {
    toCanonical: (native) => {
      const market = markets.find((m) => m.nativeSymbol === native);
      if (!market) throw unknown(native);
      return market.symbol;
    },
    toNative: (symbol) => {
      const market = markets.find((m) => m.symbol === symbol);
      if (!market) throw unknown(symbol);
      return market.nativeSymbol;
    },
    has: (s) => markets.some((m) => m.symbol === s || m.nativeSymbol === s),
    markets: () => markets,
  };
}

/** A venue quoting in `quoteCurrency` with a 0.1 % fee and no order rules beyond listing `mapper`'s markets. */
export function fakeVenue(mapper: SymbolMapper, quoteCurrency: string): VenueDescription {
  return {
    quoteCurrency,
    fees: { taker: 0.001, maker: 0.001 },
    marketRules: (symbol) =>
      mapper.has(symbol)
        ? { tickSize: () => undefined, lotSize: undefined, minNotional: undefined }
        : undefined,
  };
}

export interface RecordedCall {
  readonly symbols: readonly string[];
  readonly at: number;
  readonly options: FetchOrderBooksOptions | undefined;
  resolve(snapshots: OrderBookSnapshot[]): void;
  reject(error: unknown): void;
}

/**
 * A plugin whose REST client records every fetchOrderBooks call and lets the test answer it. Only
 * for logic that needs no real peer (scheduling); everything on the wire is tested against the
 * simulator in the provider packages.
 */
export function fakePlugin(
  id: string,
  pairs: ReadonlyArray<readonly [string, string]>,
  limits: { maxSymbolsPerRequest: number; orderBookRequestsPerSecond: number },
  now: () => number,
): { plugin: ExchangePlugin; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const rest: ExchangeRestClient = {
    loadMarkets: async () => [],
    fetchOrderBooks: (symbols, options) =>
      new Promise<OrderBookSnapshot[]>((resolve, reject) => {
        options?.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true });
        calls.push({ symbols: [...symbols], at: now(), options, resolve, reject });
      }),
    close: () => {},
  };
  const symbols = fakeMapper(id, pairs);
  const plugin: ExchangePlugin = {
    id,
    symbols,
    restLimits: limits,
    venue: fakeVenue(symbols, pairs[0]?.[1].split('/')[1] ?? 'USDT'),
    loadMarkets: async () => [],
    rest: () => rest,
    createOrderBookStream: (): OrderBookStream => {
      throw new Error('fake plugin has no stream');
    },
    close: async () => {},
  };
  return { plugin, calls };
}

export function snapshotOf(
  exchange: string,
  symbol: string,
  fields: { sequence?: number; exchangeTime: number; receivedAt: number },
): OrderBookSnapshot {
  return {
    exchange,
    symbol,
    nativeSymbol: symbol.replace('/', ''),
    bids: [[100, 1]],
    asks: [[101, 1]],
    ...(fields.sequence === undefined ? {} : { sequence: fields.sequence }),
    exchangeTime: fields.exchangeTime,
    receivedAt: fields.receivedAt,
    source: 'rest',
  };
}
