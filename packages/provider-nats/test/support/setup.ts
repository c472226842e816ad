import type { InstrumentId } from '@arbitrage/core';
import { createBinanceExchange } from '@arbitrage/exchange-binance';
import { createUpbitExchange } from '@arbitrage/exchange-upbit';
import {
  NatsFeedPublisher,
  NatsMarketDataProvider,
  type NatsMarketDataProviderOptions,
} from '../../src/index.js';
import { ScriptedProvider } from './scripted-provider.js';

export const IDS: readonly InstrumentId[] = ['upbit:BTC/KRW', 'binance:BTC/USDT'];
export const STALE_AFTER_MS = 400;
export const HEARTBEAT_MS = 100;

export function scriptedFeed(url: string, ids: readonly InstrumentId[] = IDS) {
  const provider = new ScriptedProvider(ids);
  const publisher = new NatsFeedPublisher({
    provider,
    servers: url,
    heartbeatMs: HEARTBEAT_MS,
    reconnectTimeWaitMs: 50,
  });
  return { provider, publisher };
}

export function consumerOf(
  url: string,
  options: Partial<NatsMarketDataProviderOptions> = {},
): NatsMarketDataProvider {
  return new NatsMarketDataProvider({
    exchanges: [createUpbitExchange(), createBinanceExchange()],
    symbols: [...IDS],
    servers: url,
    staleAfterMs: STALE_AFTER_MS,
    resyncRetryMs: 50,
    reconnectTimeWaitMs: 50,
    ...options,
  });
}

export const stateOf = (consumer: NatsMarketDataProvider, id: InstrumentId) => () =>
  consumer.health().instruments[id]?.state;

export const describeHealth = (consumer: NatsMarketDataProvider) => () =>
  JSON.stringify(Object.values(consumer.health().instruments).map((i) => [i.instrument, i.state, i.reason]));
