import { ConfigError } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { testConfig } from '../test-support/support.js';
import { checkSimulatorConfig } from './market.js';

describe('checkSimulatorConfig', () => {
  it('accepts every exchange the simulator serves, on either leg, several per leg', () => {
    expect(() =>
      checkSimulatorConfig(
        testConfig({ market: 'sim', exchanges: { krw: 'upbit', usdt: ['binance', 'okx'] } }),
      ),
    ).not.toThrow();
  });

  it('refuses an exchange the simulator does not serve, naming the ones it does', () => {
    const config = testConfig({ market: 'sim', exchanges: { krw: 'upbit', usdt: ['binance', 'fakex'] } });
    expect(() => checkSimulatorConfig(config)).toThrow(ConfigError);
    expect(() => checkSimulatorConfig(config)).toThrow(
      'exchanges.usdt: the simulator serves upbit, binance and okx only, not "fakex"; use --market live',
    );
  });

  it('checks nothing for a live market', () => {
    expect(() =>
      checkSimulatorConfig(testConfig({ market: 'live', exchanges: { krw: 'upbit', usdt: 'fakex' } })),
    ).not.toThrow();
  });
});
