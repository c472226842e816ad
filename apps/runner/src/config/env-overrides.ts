import { ConfigError } from '@arbitrage/core';
import { parse as parseYaml } from 'yaml';

export const ENV_PREFIX = 'ARB_';

export interface EnvOverride {
  /** The variable, e.g. ARB_ENGINE__ENTRY__MIN_EXPECTED_PROFIT. */
  readonly variable: string;
  /** The config path it sets, e.g. ['engine', 'entry', 'minExpectedProfit']. */
  readonly path: readonly string[];
  readonly value: unknown;
}

/**
 * Reads `ARB_*` variables as config overrides: `__` separates levels, each level is SNAKE_CASE for a
 * camelCase key (ARB_ENGINE__EXIT__MAX_HOLDING_MS → engine.exit.maxHoldingMs, ARB_MARKET → market). Values
 * are YAML scalars or flow collections, so `0.003` is a number and `[upbit, binance]` a list.
 */
export function readEnvOverrides(env: Readonly<Record<string, string | undefined>>): EnvOverride[] {
  const overrides: EnvOverride[] = [];
  for (const [variable, raw] of Object.entries(env)) {
    if (!variable.startsWith(ENV_PREFIX) || raw === undefined) continue;
    const path = variable
      .slice(ENV_PREFIX.length)
      .split('__')
      .map((segment) => snakeToCamel(segment));
    if (path.some((segment) => segment === '')) {
      throw new ConfigError(`${variable}: expected ARB_<KEY>[__<KEY>…] with keys in SNAKE_CASE`);
    }
    let value: unknown;
    try {
      value = parseYaml(raw);
    } catch (error) {
      throw new ConfigError(`${variable}: could not read "${raw}" as a YAML value`, { cause: error });
    }
    overrides.push({ variable, path, value });
  }
  return overrides;
}

function snakeToCamel(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/** The variable that sets `path`: ['engine', 'entry', 'minExpectedProfit'] → ARB_ENGINE__ENTRY__MIN_EXPECTED_PROFIT. */
export function envVariableFor(path: readonly string[]): string {
  return ENV_PREFIX + path.map((key) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('__');
}
