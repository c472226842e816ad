/*
 * Dependency-injection tokens of the runner's composition root (libraries never see a container).
 * Each token is a `unique symbol`, so a typed map from token to implementation can be written
 * against `typeof TOKENS.Clock` and friends.
 */
const Clock: unique symbol = Symbol('Clock');
const Logger: unique symbol = Symbol('Logger');
const Config: unique symbol = Symbol('Config');
const ExchangeLegs: unique symbol = Symbol('ExchangeLegs');
const MarketDataProvider: unique symbol = Symbol('MarketDataProvider');
const PaperEngine: unique symbol = Symbol('PaperEngine');
const SpreadEngine: unique symbol = Symbol('SpreadEngine');
const RiskGuard: unique symbol = Symbol('RiskGuard');
const LiveGuard: unique symbol = Symbol('LiveGuard');
const PaperBroker: unique symbol = Symbol('PaperBroker');
const MarketView: unique symbol = Symbol('MarketView');
const Metrics: unique symbol = Symbol('Metrics');
const MarketHandle: unique symbol = Symbol('MarketHandle');
const EngineLoop: unique symbol = Symbol('EngineLoop');
const StatusReporter: unique symbol = Symbol('StatusReporter');
const StatusSink: unique symbol = Symbol('StatusSink');

export const TOKENS = {
  Clock,
  Logger,
  Config,
  ExchangeLegs,
  MarketDataProvider,
  PaperEngine,
  SpreadEngine,
  RiskGuard,
  LiveGuard,
  PaperBroker,
  MarketView,
  Metrics,
  MarketHandle,
  EngineLoop,
  StatusReporter,
  StatusSink,
} as const;

export type TokenName = keyof typeof TOKENS;
