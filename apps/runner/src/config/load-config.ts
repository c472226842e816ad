import { readFile } from 'node:fs/promises';
import { ConfigError } from '@arbitrage/core';
import { checkEngineConfig, riskLimitProblems } from '@arbitrage/engine';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_CONFIG } from './defaults.js';
import { readEnvOverrides } from './env-overrides.js';
import { formatIssues } from './format-issues.js';
import { deepMerge, isPlainObject, type PlainObject, setPath } from './merge.js';
import { missingPositionLimits } from './position-limits.js';
import { type RunnerConfig, runnerConfigSchema } from './schema.js';

export interface ConfigSources {
  /** YAML file path (`--config`). */
  readonly file?: string;
  /** Environment: ARB_* overrides are read from it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Values from command-line flags, as a partial config, with the flag that set each path. */
  readonly flags?: readonly FlagValue[];
}

export interface FlagValue {
  readonly flag: string;
  readonly path: readonly string[];
  readonly value: unknown;
}

/** Key names that look like credentials: those belong in the environment, never in a file. */
const SECRET_KEY = /(api[-_]?key|secret|access[-_]?key|password|token)/i;

/**
 * Builds the run configuration: defaults, then the YAML file, then ARB_* variables, then flags;
 * validated with zod. Throws ConfigError naming each bad field, what was expected, and where the
 * value came from.
 */
export async function loadConfig(sources: ConfigSources): Promise<RunnerConfig> {
  const origins = new Map<string, string>();
  let merged: unknown = structuredClone(DEFAULT_CONFIG);
  if (sources.file !== undefined) {
    const fromFile = await readConfigFile(sources.file);
    rejectSecrets(fromFile, [], sources.file);
    merged = deepMerge(merged, fromFile);
    markOrigins(fromFile, [], `config file ${sources.file}`, origins);
  }
  const root = merged as PlainObject;
  for (const override of readEnvOverrides(sources.env)) {
    setPath(root, override.path, override.value);
    origins.set(override.path.join('.'), `environment variable ${override.variable}`);
  }
  for (const flag of sources.flags ?? []) {
    setPath(root, flag.path, flag.value);
    origins.set(flag.path.join('.'), `flag ${flag.flag}`);
  }
  const parsed = runnerConfigSchema.safeParse(root);
  if (!parsed.success) throw new ConfigError(formatIssues(parsed.error.issues, origins, root));
  checkSemantics(parsed.data, sources.file);
  return parsed.data;
}

async function readConfigFile(file: string): Promise<PlainObject> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ConfigError(`config file ${file} could not be read (${code}); check the --config path`, {
      cause: error,
    });
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new ConfigError(
      `config file ${file} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value)) {
    throw new ConfigError(`config file ${file}: expected a mapping of settings at the top level`);
  }
  return value;
}

function rejectSecrets(value: unknown, path: string[], file: string): void {
  if (!isPlainObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, key];
    if (SECRET_KEY.test(key)) {
      throw new ConfigError(
        `config file ${file}: ${childPath.join('.')} looks like a credential; API keys are read from the ` +
          'environment only (UPBIT_ACCESS_KEY, UPBIT_SECRET_KEY, BINANCE_API_KEY, BINANCE_API_SECRET): remove it from the file',
      );
    }
    rejectSecrets(child, childPath, file);
  }
}

function markOrigins(value: unknown, path: string[], origin: string, origins: Map<string, string>): void {
  if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) markOrigins(child, [...path, key], origin, origins);
    return;
  }
  origins.set(path.join('.'), origin);
}

/**
 * Rules zod's shapes cannot say: the engine's own checks, and limits covering every asset. Whether
 * each leg's exchange quotes in its currency is checked once the plugins are open (their `venue`).
 */
function checkSemantics(config: RunnerConfig, configFile: string | undefined): void {
  // `assets: all` is checked once it is resolved against the venues (resolveAllAssets).
  if (config.assets !== 'all') {
    checkEngineConfig({ ...config.engine, assets: config.assets });
    const uncapped = missingPositionLimits({ ...config, assets: config.assets }, configFile);
    if (uncapped !== undefined) throw new ConfigError(`invalid configuration: ${uncapped}`);
    const problems = riskLimitProblems(
      config.limits,
      config.assets.map((asset) => asset.asset),
    );
    if (problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  if (config.source === 'nats' && config.feeds.natsUrl === undefined) {
    throw new ConfigError(
      'source: nats reads books from a feed over NATS and needs its server: pass --nats-url nats://127.0.0.1:4222 (or feeds.natsUrl, ARB_FEEDS__NATS_URL)',
    );
  }
}
