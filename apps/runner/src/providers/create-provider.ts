import type { Clock, ExchangePlugin, InstrumentHealth, Logger, MarketDataProvider } from '@arbitrage/core';
import { NatsMarketDataProvider } from '@arbitrage/provider-nats';
import { RestMarketDataProvider } from '@arbitrage/provider-rest';
import { FailoverMarketDataProvider, WebSocketMarketDataProvider } from '@arbitrage/provider-ws';
import type { RunnerConfig, SourceKind } from '../config/schema.js';

/** What the runner uses of a provider beyond core's interface (every provider of ours has it). */
export interface RunnerProvider extends MarketDataProvider {
  onHealthChange?(listener: (health: InstrumentHealth) => void): () => void;
  /** Failover only: source switches so far, both ways. */
  switches?(): number;
}

export interface ProviderInputs {
  readonly source: SourceKind;
  readonly exchanges: readonly ExchangePlugin[];
  /** Instrument ids: 'upbit:BTC/KRW', 'binance:BTC/USDT', … */
  readonly instruments: readonly string[];
  readonly feeds: RunnerConfig['feeds'];
  readonly clock: Clock;
  readonly logger: Logger;
  /** `--log-level trace`: the NATS provider logs every book it takes, to compare with the feed's log. */
  readonly traceBooks?: boolean;
}

/** `--source ws|rest|failover|nats` → the provider that serves it. */
export function createProvider(inputs: ProviderInputs): RunnerProvider {
  const { feeds } = inputs;
  const common = {
    exchanges: [...inputs.exchanges],
    symbols: [...inputs.instruments],
    depth: feeds.depth,
    ...(feeds.streamDepth === undefined ? {} : { streamDepth: feeds.streamDepth }),
    staleAfterMs: feeds.staleAfterMs,
    clock: inputs.clock,
    logger: inputs.logger.child({ component: `provider-${inputs.source}` }),
  };
  switch (inputs.source) {
    case 'ws':
      return new WebSocketMarketDataProvider(common);
    case 'rest':
      return new RestMarketDataProvider({ ...common, pollIntervalMs: feeds.pollIntervalMs });
    case 'failover':
      return new FailoverMarketDataProvider({
        ...common,
        failoverAfterMs: feeds.failoverAfterMs,
        switchBackAfterMs: feeds.switchBackAfterMs,
        pollIntervalMs: feeds.pollIntervalMs,
      });
    case 'nats':
      // The plugins only name the instruments here; the books come from the feed (its NATS client loads on start).
      return new NatsMarketDataProvider({
        exchanges: common.exchanges,
        symbols: common.symbols,
        servers: feeds.natsUrl ?? '',
        staleAfterMs: feeds.staleAfterMs,
        traceBooks: inputs.traceBooks === true,
        clock: common.clock,
        logger: common.logger,
      });
  }
}
