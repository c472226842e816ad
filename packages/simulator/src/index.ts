/** Upbit's KRW tick table lives in core (one copy for the simulator and the Upbit plugin). */
export { upbitKrwTickSize } from '@arbitrage/core';
export type { BenchRun, PacedOptions, SentUpdates } from './bench-feed.js';
export { BenchFeed } from './bench-feed.js';
export { type ClientEndpoints, clientEndpoints, type SimulatedExchangeClients } from './client-endpoints.js';
export type { BinanceOptions, OkxOptions, SimulatorOptions, UniverseName, UpbitOptions } from './config.js';
export { FaultProxy, type FaultProxyStats, type ProxyMode } from './fault-proxy.js';
export type { ConnectionSelector, FaultHandle } from './faults/faults.js';
export { Faults } from './faults/faults.js';
export type { MalformedKind } from './faults/malformed.js';
export { MALFORMED_KINDS } from './faults/malformed.js';
export type { RefuseMode, RestFaultSpec } from './faults/rest-faults.js';
export { FAULT_SYNTAX, parseDuration, parseFaultSpec } from './faults/schedule.js';
export type {
  AssetSpec,
  BinanceFilters,
  OkxInstrumentRules,
  VenueFlags,
  VenueRates,
} from './model/assets.js';
export { DEFAULT_ASSETS, KNOWN_ASSETS } from './model/assets.js';
export type {
  AssetFairValues,
  BinanceBookSnapshot,
  ExchangeName,
  FairValues,
  OkxBookSnapshot,
  PumpOptions,
  PumpResult,
  UpbitBookSnapshot,
} from './model/market.js';
export { Market } from './model/market.js';
export type { PremiumOptions, ScheduledSpike } from './model/premium-options.js';
export { PREMIUM_DEFAULTS } from './model/premium-options.js';
export type { PremiumPreset, PremiumPresetName } from './model/premium-presets.js';
export { PREMIUM_PRESET_NAMES, PREMIUM_PRESETS } from './model/premium-presets.js';
export type { RateTier } from './model/universe.js';
export { FULL_UNIVERSE, fullUniverse, RATE_TIERS } from './model/universe.js';
export type { LimitName } from './server/limit-hits.js';
export type { ConnectionInfo, ExchangeEndpoints, Simulator } from './simulator.js';
export { startSimulator } from './simulator.js';
