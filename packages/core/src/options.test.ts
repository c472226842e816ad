import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { optionalPositiveNumber, positiveNumber } from './options.js';

describe('positiveNumber', () => {
  it('returns the value when valid and the fallback when undefined', () => {
    expect(positiveNumber('P', 'pollIntervalMs', 250, 1_000)).toBe(250);
    expect(positiveNumber('P', 'pollIntervalMs', undefined, 1_000)).toBe(1_000);
    expect(positiveNumber('P', 'retries', 0, 3, { allowZero: true })).toBe(0);
    expect(positiveNumber('P', 'depthLevels', 5, 1_000, { min: 5 })).toBe(5);
    expect(positiveNumber('P', 'maxLagMs', Number.POSITIVE_INFINITY, 1, { allowInfinity: true })).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it.each<[unknown, Parameters<typeof positiveNumber>[4]]>([
    [0, {}],
    [-1, {}],
    [Number.NaN, {}],
    [Number.POSITIVE_INFINITY, {}],
    [Number.NEGATIVE_INFINITY, { allowInfinity: true }],
    [-0.5, { allowZero: true }],
    [4, { min: 5 }],
    [2.5, { integer: true }],
    ['100', {}],
  ])('rejects %s under %j with a ConfigError', (value, rule) => {
    expect(() => positiveNumber('P', 'x', value as number, 1, rule)).toThrow(ConfigError);
  });

  it('says who, which option, what was given and what to pass instead', () => {
    expect(() =>
      positiveNumber('RestMarketDataProvider', 'pollIntervalMs', -5, 1_000, { unit: 'ms' }),
    ).toThrow(
      'RestMarketDataProvider: pollIntervalMs must be a positive finite number of ms, got -5. ' +
        'Pass a positive finite number of ms, or leave it out for the default (1000).',
    );
    expect(() => positiveNumber('sim', 'depthLevels', 2, 1_000, { min: 5, integer: true })).toThrow(
      'sim: depthLevels must be a finite whole number >= 5, got 2.',
    );
    expect(() =>
      positiveNumber('c', 'maxReconnectAttempts', -1, 1, { allowZero: true, allowInfinity: true }),
    ).toThrow('must be a number >= 0 (Infinity for no limit), got -1');
  });
});

describe('optionalPositiveNumber', () => {
  it('keeps undefined and checks anything else', () => {
    expect(optionalPositiveNumber('P', 'staleAfterMs', undefined)).toBeUndefined();
    expect(optionalPositiveNumber('P', 'staleAfterMs', 300)).toBe(300);
    expect(() => optionalPositiveNumber('P', 'staleAfterMs', 0, { unit: 'ms' })).toThrow(
      'P: staleAfterMs must be a positive finite number of ms, got 0. Pass a positive finite number of ms, or leave it out.',
    );
  });
});
