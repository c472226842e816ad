import { ConfigError } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { TEST_LIMITS } from '../test-support/harness.js';
import { LiveGuard, LiveModeRefusedError, type LiveModeSwitches } from './live-guard.js';

const KEYS = {
  UPBIT_ACCESS_KEY: 'canary-upbit-access',
  UPBIT_SECRET_KEY: 'canary-upbit-secret',
  BINANCE_API_KEY: 'canary-binance-key',
  BINANCE_API_SECRET: 'canary-binance-secret',
};

const ALL_ON: LiveModeSwitches = {
  flag: true,
  configMode: 'live',
  env: { ...KEYS, ARBITRAGE_MODE: 'live', ARBITRAGE_LIVE_CONFIRM: 'I_UNDERSTAND_REAL_ORDERS' },
  limits: TEST_LIMITS,
  assets: ['BTC'],
};

function refusal(switches: LiveModeSwitches): LiveModeRefusedError {
  try {
    new LiveGuard().resolve(switches);
  } catch (error) {
    if (error instanceof LiveModeRefusedError) return error;
    throw error;
  }
  throw new Error('expected live mode to be refused');
}

describe('LiveGuard (fault scenario 39)', () => {
  it('is paper by default: nothing asked, nothing required', () => {
    expect(
      new LiveGuard().resolve({ flag: false, configMode: undefined, env: {}, limits: undefined }),
    ).toEqual({
      mode: 'paper',
    });
    expect(
      new LiveGuard().resolve({ flag: false, configMode: 'paper', env: KEYS, limits: undefined }).mode,
    ).toBe('paper');
  });

  it('allows live only with every switch, every key and every limit', () => {
    expect(new LiveGuard().resolve(ALL_ON)).toEqual({ mode: 'live', limits: TEST_LIMITS });
  });

  it.each([
    ['the flag alone', { flag: true, configMode: undefined, env: {} }],
    ['the config alone', { flag: false, configMode: 'live', env: {} }],
    ['the mode variable alone', { flag: false, configMode: undefined, env: { ARBITRAGE_MODE: 'live' } }],
    [
      'the confirmation alone',
      { flag: false, configMode: undefined, env: { ARBITRAGE_LIVE_CONFIRM: 'I_UNDERSTAND_REAL_ORDERS' } },
    ],
  ] as const)('refuses %s, naming each missing switch, key and limit', (_name, partial) => {
    const error = refusal({ ...partial, limits: undefined });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.missing.length).toBeGreaterThanOrEqual(3 + 4 + 6);
    expect(error.missing).toContain('UPBIT_SECRET_KEY in the environment (upbit API key)');
    expect(error.missing).toContain('limits.dailyLossLimitUsd is not set');
    expect(error.message).toMatch(/^live mode refused; asked for by: .*; missing: /);
    expect(error.message).toMatch(/Paper mode is the default/);
  });

  it('names exactly the one switch that is missing', () => {
    const { UPBIT_SECRET_KEY: _key, ...withoutOneKey } = ALL_ON.env;
    const { maxOrdersPerSecond: _limit, ...withoutOneLimit } = TEST_LIMITS;
    const cases: Array<[LiveModeSwitches, string]> = [
      [{ ...ALL_ON, flag: false }, 'an explicit live request from the caller (flag: true)'],
      [{ ...ALL_ON, configMode: 'paper' }, 'mode: live in the config file'],
      [
        { ...ALL_ON, env: { ...ALL_ON.env, ARBITRAGE_MODE: 'paper' } },
        'ARBITRAGE_MODE=live in the environment',
      ],
      [
        { ...ALL_ON, env: { ...ALL_ON.env, ARBITRAGE_LIVE_CONFIRM: 'yes' } },
        'ARBITRAGE_LIVE_CONFIRM=I_UNDERSTAND_REAL_ORDERS in the environment (confirmation)',
      ],
      [{ ...ALL_ON, env: withoutOneKey }, 'UPBIT_SECRET_KEY in the environment (upbit API key)'],
      [
        { ...ALL_ON, env: { ...ALL_ON.env, BINANCE_API_KEY: ' ' } },
        'BINANCE_API_KEY in the environment (binance API key)',
      ],
      [{ ...ALL_ON, limits: withoutOneLimit }, 'limits.maxOrdersPerSecond is not set'],
      [
        { ...ALL_ON, limits: { ...TEST_LIMITS, maxBookAgeMs: 0 } },
        'limits.maxBookAgeMs is 0; expected a number above 0',
      ],
      [
        { ...ALL_ON, limits: { ...TEST_LIMITS, maxPositionPerAsset: { ETH: 1 } } },
        'limits.maxPositionPerAsset.BTC is not set: add a cap for BTC (base units), or make maxPositionPerAsset one number for every asset',
      ],
      [
        { ...ALL_ON, exchanges: ['upbit', 'bithumb'] },
        'API key variables for exchange "bithumb" (none are known)',
      ],
    ];
    for (const [switches, missing] of cases) expect(refusal(switches).missing).toEqual([missing]);
  });

  it('names what sets the flag as the caller words it, and what to remove to run on paper', () => {
    let error: unknown;
    try {
      new LiveGuard({ flagSwitch: 'the `live` command' }).resolve({
        flag: false,
        configMode: undefined,
        env: { ARBITRAGE_MODE: 'live' },
        limits: TEST_LIMITS,
        assets: ['BTC'],
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LiveModeRefusedError);
    const refused = error as LiveModeRefusedError;
    expect(refused.missing[0]).toBe('the `live` command');
    expect(refused.present).toEqual(['ARBITRAGE_MODE=live in the environment']);
    expect(refused.message).toContain('asked for by: ARBITRAGE_MODE=live in the environment');
    expect(refused.message).toContain('remove ARBITRAGE_MODE=live in the environment to run on paper');
  });

  it('never puts a secret value into its message', () => {
    const error = refusal({ ...ALL_ON, flag: false });
    for (const secret of Object.values(KEYS)) expect(error.message).not.toContain(secret);
  });

  it('rejects an unknown config mode instead of guessing', () => {
    expect(() =>
      new LiveGuard().resolve({ flag: false, configMode: 'LIVE', env: {}, limits: undefined }),
    ).toThrow(/config mode is "LIVE"; expected "paper" or "live"/);
  });

  it('takes its variable names and confirmation phrase from options', () => {
    const guard = new LiveGuard({
      modeVariable: 'MODE',
      confirmVariable: 'CONFIRM',
      confirmPhrase: 'yes really',
      keyVariables: { upbit: ['U'], binance: ['B'] },
    });
    const env = { MODE: 'live', CONFIRM: 'yes really', U: 'x', B: 'y' };
    expect(guard.resolve({ ...ALL_ON, env }).mode).toBe('live');
    expect(() => guard.resolve({ ...ALL_ON, env: { ...env, CONFIRM: 'yes' } })).toThrow(/CONFIRM=yes really/);
  });
});
