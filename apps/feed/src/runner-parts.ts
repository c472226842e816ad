/*
 * The runner's config, market, exchange and provider code, reused so that the feed reads the same
 * config file as `pnpm paper` and serves exactly the instruments a paper run needs. The runner is a
 * private app of this workspace; these are its built modules.
 */

export {
  durationArg,
  integerArg,
  logLevelOption,
  marketOption,
  sourceOption,
} from '@arbitrage/runner/dist/cli/options.js';
export { loadConfig } from '@arbitrage/runner/dist/config/load-config.js';
export type { RunnerConfig } from '@arbitrage/runner/dist/config/schema.js';
export {
  configuredMarkets,
  legPlugins,
  openExchanges,
} from '@arbitrage/runner/dist/exchanges/open-exchanges.js';
export { loadExchangeFactories } from '@arbitrage/runner/dist/exchanges/registry.js';
export { resolveAllAssets } from '@arbitrage/runner/dist/exchanges/resolve-all-assets.js';
export { startProvider } from '@arbitrage/runner/dist/lifecycle/start-provider.js';
export { waitForEnd } from '@arbitrage/runner/dist/lifecycle/wait-for-end.js';
export { createRunnerLogger, type RunnerLogger } from '@arbitrage/runner/dist/logging/create-logger.js';
export { SecretScrubber } from '@arbitrage/runner/dist/logging/secrets.js';
export { openMarket } from '@arbitrage/runner/dist/market/market.js';
export { createProvider } from '@arbitrage/runner/dist/providers/create-provider.js';
