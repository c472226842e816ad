import { ConfigError } from '@arbitrage/core';
import type { RiskLimits } from '../risk/risk-limits.js';
import { riskLimitProblems } from '../risk/risk-limits.js';

/** Everything that together may ask for live trading. Values of secrets are never read into messages. */
export interface LiveModeSwitches {
  /** The caller asked for live mode explicitly (the runner: its `live` command); named by `flagSwitch`. */
  readonly flag: boolean;
  /** The config file's `mode` ('paper' or 'live'); undefined when absent. */
  readonly configMode: string | undefined;
  /** The process environment, usually `process.env`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Risk limits from config; every one must be set for live mode. */
  readonly limits: Partial<RiskLimits> | undefined;
  /** Configured assets; each needs its own position limit when limits are given per asset. */
  readonly assets?: readonly string[];
  /** Exchanges that would trade; each needs its API keys in the environment. Default upbit and binance. */
  readonly exchanges?: readonly string[];
}

export type TradingMode = { readonly mode: 'paper' } | { readonly mode: 'live'; readonly limits: RiskLimits };

/**
 * Live mode was asked for, but not by every switch, or without keys or limits. `missing` names each
 * missing switch, key and limit; `present` the switches that asked for live (removing them runs on paper).
 */
export class LiveModeRefusedError extends ConfigError {
  constructor(
    readonly missing: readonly string[],
    readonly present: readonly string[] = [],
  ) {
    const askedBy = present.length > 0 ? `; asked for by: ${present.join('; ')}` : '';
    const toPaper = present.length > 0 ? `remove ${present.join(', ')}` : 'remove every live switch';
    super(
      `live mode refused${askedBy}; missing: ${missing.join('; ')}. Paper mode is the default: ${toPaper} to run on paper, or add every missing item to trade live.`,
    );
  }
}

export interface LiveGuardOptions {
  /** Environment variable that must be 'live'. Default ARBITRAGE_MODE. */
  readonly modeVariable?: string;
  /** Environment variable that must hold `confirmPhrase`. Default ARBITRAGE_LIVE_CONFIRM. */
  readonly confirmVariable?: string;
  /** Default I_UNDERSTAND_REAL_ORDERS. */
  readonly confirmPhrase?: string;
  /** API-key variables per exchange. Defaults for upbit and binance. */
  readonly keyVariables?: Readonly<Record<string, readonly string[]>>;
  /**
   * What sets `LiveModeSwitches.flag`, as refusals name it: the runner says its `live` command.
   * Default 'an explicit live request from the caller (flag: true)'.
   */
  readonly flagSwitch?: string;
}

export const DEFAULT_KEY_VARIABLES: Readonly<Record<string, readonly string[]>> = {
  upbit: ['UPBIT_ACCESS_KEY', 'UPBIT_SECRET_KEY'],
  binance: ['BINANCE_API_KEY', 'BINANCE_API_SECRET'],
};

/**
 * Decides paper or live. Paper unless live is asked for; live only when the flag, the config, the
 * mode variable and the confirmation variable all ask for it, every exchange's keys are in the
 * environment and every risk limit is set. Any live switch set without the rest is an error (never
 * a silent fall-back), naming each missing switch. This package contains no live order sender:
 * a 'live' answer only clears the way for one.
 */
export class LiveGuard {
  private readonly modeVariable: string;
  private readonly confirmVariable: string;
  private readonly confirmPhrase: string;
  private readonly keyVariables: Readonly<Record<string, readonly string[]>>;
  private readonly flagSwitch: string;

  constructor(options: LiveGuardOptions = {}) {
    this.modeVariable = options.modeVariable ?? 'ARBITRAGE_MODE';
    this.confirmVariable = options.confirmVariable ?? 'ARBITRAGE_LIVE_CONFIRM';
    this.confirmPhrase = options.confirmPhrase ?? 'I_UNDERSTAND_REAL_ORDERS';
    this.keyVariables = options.keyVariables ?? DEFAULT_KEY_VARIABLES;
    this.flagSwitch = options.flagSwitch ?? 'an explicit live request from the caller (flag: true)';
  }

  resolve(switches: LiveModeSwitches): TradingMode {
    const { flag, configMode, env } = switches;
    if (configMode !== undefined && configMode !== 'paper' && configMode !== 'live') {
      throw new ConfigError(`config mode is "${configMode}"; expected "paper" or "live"`);
    }
    const envMode = env[this.modeVariable];
    const confirmation = env[this.confirmVariable];
    const asked = flag || configMode === 'live' || envMode === 'live' || nonEmpty(confirmation);
    if (!asked) return { mode: 'paper' };

    const missing: string[] = [];
    const present: string[] = [];
    const check = (set: boolean, name: string): void => {
      (set ? present : missing).push(name);
    };
    check(flag, this.flagSwitch);
    check(configMode === 'live', 'mode: live in the config file');
    check(envMode === 'live', `${this.modeVariable}=live in the environment`);
    const confirmName = `${this.confirmVariable}=${this.confirmPhrase} in the environment (confirmation)`;
    if (confirmation !== this.confirmPhrase) missing.push(confirmName);
    if (nonEmpty(confirmation)) present.push(`${this.confirmVariable} in the environment`);
    for (const exchange of switches.exchanges ?? ['upbit', 'binance']) {
      const variables = this.keyVariables[exchange];
      if (!variables) {
        missing.push(`API key variables for exchange "${exchange}" (none are known)`);
        continue;
      }
      for (const variable of variables) {
        if (!nonEmpty(env[variable])) missing.push(`${variable} in the environment (${exchange} API key)`);
      }
    }
    missing.push(...riskLimitProblems(switches.limits, switches.assets));
    if (missing.length > 0) throw new LiveModeRefusedError(missing, present);
    return { mode: 'live', limits: switches.limits as RiskLimits };
  }
}

function nonEmpty(value: string | undefined): boolean {
  return typeof value === 'string' && value.trim() !== '';
}
