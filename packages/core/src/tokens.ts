/*
 * Dependency-injection tokens for the composition root. Libraries never use a container; the runner
 * registers implementations under these keys. Each token is a `unique symbol` type, so a typed map
 * from token to implementation can be written against `typeof TOKENS.Clock` and friends.
 */
const Clock: unique symbol = Symbol('Clock');
const Logger: unique symbol = Symbol('Logger');
const Config: unique symbol = Symbol('Config');
const ExchangePlugins: unique symbol = Symbol('ExchangePlugins');
const MarketDataProvider: unique symbol = Symbol('MarketDataProvider');
const RestMarketDataProvider: unique symbol = Symbol('RestMarketDataProvider');
const WebSocketMarketDataProvider: unique symbol = Symbol('WebSocketMarketDataProvider');
const SpreadEngine: unique symbol = Symbol('SpreadEngine');
const RiskGuard: unique symbol = Symbol('RiskGuard');
const LiveGuard: unique symbol = Symbol('LiveGuard');
const PaperBroker: unique symbol = Symbol('PaperBroker');
const Portfolio: unique symbol = Symbol('Portfolio');
const Metrics: unique symbol = Symbol('Metrics');

export const TOKENS = {
  Clock,
  Logger,
  Config,
  ExchangePlugins,
  MarketDataProvider,
  RestMarketDataProvider,
  WebSocketMarketDataProvider,
  SpreadEngine,
  RiskGuard,
  LiveGuard,
  PaperBroker,
  Portfolio,
  Metrics,
} as const;

export type TokenName = keyof typeof TOKENS;
