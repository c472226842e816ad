import type { InstrumentHealth, MarketDataProvider } from '@arbitrage/core';

/**
 * What the checker watches: core's MarketDataProvider plus the providers' `onHealthChange`
 * (provider-api.md). The real providers and the stream adapter both satisfy it.
 */
export interface ObservedProvider extends MarketDataProvider {
  onHealthChange(listener: (health: InstrumentHealth) => void): () => void;
}
