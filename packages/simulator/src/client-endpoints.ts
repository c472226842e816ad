import type { ExchangeEndpoints, Simulator } from './simulator.js';

/**
 * What a client takes to talk to one simulated exchange, exactly as it takes it: the options of the
 * exchange plugin (`createBinanceExchange({ restUrl, wsUrl })`, origins: the plugins append their
 * paths) and the constructor options of ccxt pro's class (`new ccxt.pro.binance({ urls, options })`:
 * ccxt wants some paths spelled out, and must be kept off endpoints the simulator does not serve).
 */
export interface ClientEndpoints {
  readonly plugin: ExchangeEndpoints;
  readonly ccxt: {
    readonly urls: { readonly api: Readonly<Record<string, string | Readonly<Record<string, string>>>> };
    readonly options?: Readonly<Record<string, unknown>>;
  };
}

export type SimulatedExchangeClients = Readonly<Record<'upbit' | 'binance' | 'okx', ClientEndpoints>>;

/** The values `pnpm sim` prints, per exchange; checked against the plugins and ccxt by the tests. */
export function clientEndpoints(sim: Pick<Simulator, 'upbit' | 'binance' | 'okx'>): SimulatedExchangeClients {
  const { upbit, binance, okx } = sim;
  return {
    upbit: {
      plugin: { restUrl: upbit.restUrl, wsUrl: upbit.wsUrl },
      ccxt: {
        urls: { api: { public: upbit.restUrl, private: upbit.restUrl, ws: `${upbit.wsUrl}/websocket/v1` } },
      },
    },
    binance: {
      plugin: { restUrl: binance.restUrl, wsUrl: binance.wsUrl },
      ccxt: {
        urls: {
          api: {
            public: `${binance.restUrl}/api/v3`,
            private: `${binance.restUrl}/api/v3`,
            v1: `${binance.restUrl}/api/v1`,
            ws: { spot: `${binance.wsUrl}/ws` },
          },
        },
        // Spot markets only, and none of the account endpoints the simulator does not serve.
        options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false },
      },
    },
    okx: {
      plugin: { restUrl: okx.restUrl, wsUrl: okx.wsUrl },
      // ccxt appends /api/v5/... to `rest` and /public to `ws`.
      ccxt: {
        urls: { api: { rest: okx.restUrl, ws: `${okx.wsUrl}/ws/v5` } },
        options: { fetchMarkets: { types: ['spot'] } },
      },
    },
  };
}
