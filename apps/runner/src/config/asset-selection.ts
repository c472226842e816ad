import { ConfigError } from '@arbitrage/core';
import type { AssetConfig, ResolvedRunnerConfig, RunnerConfig } from './schema.js';

/** The configured asset names; none yet for `assets: all` (known once the venues' lists are loaded). */
export function assetNames(config: RunnerConfig): string[] {
  return config.assets === 'all' ? [] : config.assets.map((entry) => entry.asset);
}

export function isResolved(config: RunnerConfig): config is ResolvedRunnerConfig {
  return config.assets !== 'all';
}

/** The explicit asset list, for commands that need it before any exchange is open. */
export function explicitAssets(config: RunnerConfig, command: string): AssetConfig[] {
  if (config.assets === 'all') {
    throw new ConfigError(`assets: all is supported by paper only; ${command} needs a list of assets`);
  }
  return config.assets;
}
