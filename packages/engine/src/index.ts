export type { ArbitrageEngineOptions } from './engine/arbitrage-engine.js';
export { ArbitrageEngine } from './engine/arbitrage-engine.js';
export type { PaperEngine, PaperEngineOptions, PerExchange } from './engine/create-paper-engine.js';
export { createPaperEngine } from './engine/create-paper-engine.js';
export type { DecisionKind, EngineDecision, SkipReason } from './engine/decision.js';
export { copyDecision } from './engine/decision.js';
export type { TradeEvent } from './engine/pair-execution.js';
export type { RouteTradeSummary } from './engine/route-tally.js';
export type { AssetPremiumSummary, EngineSummary, PnlReport } from './engine/summary.js';
export type {
  AssetConfig,
  ConversionConfig,
  EngineConfig,
  EntryRule,
  ExitRule,
  ResolvedAsset,
  ResolvedAssetRoute,
  ResolvedEngineConfig,
  ResolvedRoute,
} from './engine-config.js';
export {
  checkEngineConfig,
  DEFAULT_STRATEGY,
  RETIRED_ENGINE_FIELDS,
  requiredMarkets,
  resolveEngineConfig,
} from './engine-config.js';
export type { LatencySummary } from './latency-histogram.js';
export { LatencyHistogram } from './latency-histogram.js';
export type { LegSkipReason } from './leg-check.js';
export { checkLeg } from './leg-check.js';
export { assetsListedOnBothLegs } from './listed-assets.js';
export type { LiveGuardOptions, LiveModeSwitches, TradingMode } from './live/live-guard.js';
export { DEFAULT_KEY_VARIABLES, LiveGuard, LiveModeRefusedError } from './live/live-guard.js';
export type { BookSlot, BookSource } from './market-view.js';
export { MarketView } from './market-view.js';
export type { BalanceRecord } from './paper/balances.js';
export type {
  FillReport,
  FillStatus,
  OrderRejectReason,
  OrderRequest,
  PaperOrder,
  PaperOrderStatus,
  ShortfallReason,
} from './paper/orders.js';
export type { PaperBrokerOptions, PaperBrokerStats } from './paper/paper-broker.js';
export { PaperBroker } from './paper/paper-broker.js';
export type { DirectionQuote, PremiumFees, PremiumQuote } from './premium.js';
export {
  bookMid,
  computePremium,
  directionQuote,
  exitPremium,
  MutablePremiumQuote,
  quotePremium,
} from './premium.js';
export type { HaltState, OpenRequest, RiskGuardOptions, RiskRefusalReason } from './risk/risk-guard.js';
export { RiskGuard } from './risk/risk-guard.js';
export type { RiskLimits } from './risk/risk-limits.js';
export { RISK_LIMIT_FIELDS, riskLimitProblems } from './risk/risk-limits.js';
export type { BaselineConfig, PremiumBaseline } from './strategy/premium-baseline.js';
export { createBaseline, FixedBaseline, RollingBaseline } from './strategy/premium-baseline.js';
export {
  breakEvenMove,
  convergenceTarget,
  entryCost,
  expectedProfit,
  openingPremium,
  pairPremium,
  repriced,
  roundTripFees,
  unwindCost,
} from './strategy/round-trip.js';
export type {
  CloseReason,
  CostBreakdown,
  EntryMarks,
  PairMarks,
  RealisedPnl,
  TradeLegView,
  TradeState,
  TradeView,
} from './trade/hedged-trade.js';
export type { Direction, EngineVenue, EngineVenues, LegRole, MarketRef, PerRole } from './types.js';
export {
  DIRECTIONS,
  LEG_ROLES,
  oppositeDirection,
  ROLE_QUOTE_CURRENCY,
  routeName,
  venuesOf,
} from './types.js';
export { fullFillPrice } from './vwap.js';
