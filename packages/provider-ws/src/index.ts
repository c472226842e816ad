export {
  FailoverInstrument,
  type FailoverPolicy,
  type Served,
  type SwitchDecision,
} from './failover-instrument.js';
export {
  type FailoverInstrumentHealth,
  FailoverMarketDataProvider,
  type FailoverMarketDataProviderOptions,
} from './failover-provider.js';
export { DEFAULT_SNAPSHOT_DEPTH, type WebSocketMarketDataProviderOptions } from './options.js';
export { type BookUpdateListener, WebSocketMarketDataProvider } from './websocket-provider.js';
