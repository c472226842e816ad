import {
  type ExchangeFactoryOptions,
  type ExchangePlugin,
  type MarketInfo,
  UnknownSymbolError,
} from '@arbitrage/core';
import { EXCHANGE_PACKAGES, type ExchangePackage } from '../exchanges/registry.js';

/**
 * What an exchange package would export: `createFakexExchange`, a plugin with id 'fakex' listing
 * BTC/USDT and ETH/USDT, quoting in `quoteCurrency`, with a 0.2 % taker fee and a 0.001 lot. It has
 * no wire protocol: tests hand its books to the engine themselves.
 */
export function fakexModule(quoteCurrency = 'USDT') {
  const createFakexExchange = (_options?: ExchangeFactoryOptions): ExchangePlugin => {
    const markets: MarketInfo[] = ['BTC', 'ETH'].map((base) => ({
      exchange: 'fakex',
      symbol: `${base}/${quoteCurrency}`,
      nativeSymbol: `${base.toLowerCase()}_${quoteCurrency.toLowerCase()}`,
      base,
      quote: quoteCurrency,
      lotSize: 0.001,
    }));
    const find = (s: string) => markets.find((market) => market.symbol === s || market.nativeSymbol === s);
    const known = (s: string): MarketInfo => {
      const market = find(s);
      if (!market) throw new UnknownSymbolError(s, `fakex does not list "${s}"`);
      return market;
    };
    return {
      id: 'fakex',
      symbols: {
        toCanonical: (native) => known(native).symbol,
        toNative: (symbol) => known(symbol).nativeSymbol,
        has: (s) => find(s) !== undefined,
        markets: () => markets,
      },
      restLimits: { maxSymbolsPerRequest: 1, orderBookRequestsPerSecond: 1 },
      venue: {
        quoteCurrency,
        fees: { taker: 0.002, maker: 0.001 },
        marketRules: (symbol) => {
          const market = find(symbol);
          return market && { tickSize: () => 0.01, lotSize: market.lotSize, minNotional: undefined };
        },
      },
      loadMarkets: async () => markets,
      rest: () => {
        throw new Error('fakex has no REST client');
      },
      createOrderBookStream: () => {
        throw new Error('fakex has no stream');
      },
      close: async () => {},
    };
  };
  return { createFakexExchange };
}

/** The runner's exchange registry plus `fakex`: the one line a new exchange package adds. */
export const PACKAGES_WITH_FAKEX: Readonly<Record<string, ExchangePackage>> = {
  ...EXCHANGE_PACKAGES,
  fakex: { packageName: '@example/exchange-fakex', factoryExport: 'createFakexExchange' },
};
