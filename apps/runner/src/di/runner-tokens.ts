/*
 * Tokens for what only the runner has (core's TOKENS cover the shared pieces: Clock, Logger, Config,
 * ExchangePlugins, MarketDataProvider, SpreadEngine, RiskGuard, LiveGuard, PaperBroker, Metrics).
 */
const MarketView: unique symbol = Symbol('MarketView');
const MarketHandle: unique symbol = Symbol('MarketHandle');
const EngineLoop: unique symbol = Symbol('EngineLoop');
const StatusReporter: unique symbol = Symbol('StatusReporter');
const StatusSink: unique symbol = Symbol('StatusSink');

export const RUNNER_TOKENS = { MarketView, MarketHandle, EngineLoop, StatusReporter, StatusSink } as const;
