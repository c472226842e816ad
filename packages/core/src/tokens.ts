/**
 * Dependency-injection tokens for the composition root. Libraries never use a container; the runner
 * registers implementations under these keys.
 */
export const TOKENS = {
  Clock: Symbol('Clock'),
  Logger: Symbol('Logger'),
  Config: Symbol('Config'),
  ExchangePlugins: Symbol('ExchangePlugins'),
  MarketDataProvider: Symbol('MarketDataProvider'),
  RestMarketDataProvider: Symbol('RestMarketDataProvider'),
  WebSocketMarketDataProvider: Symbol('WebSocketMarketDataProvider'),
  SpreadEngine: Symbol('SpreadEngine'),
  RiskGuard: Symbol('RiskGuard'),
  LiveGuard: Symbol('LiveGuard'),
  PaperBroker: Symbol('PaperBroker'),
  Portfolio: Symbol('Portfolio'),
  Metrics: Symbol('Metrics'),
} as const;

export type TokenName = keyof typeof TOKENS;
