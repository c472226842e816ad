import { describe, expect, it } from 'vitest';
import { envVariableFor, readEnvOverrides } from './env-overrides.js';
import { keyDistance } from './key-distance.js';
import { suggestKey } from './key-suggestion.js';

describe('key suggestions', () => {
  it('counts a missing letter or a swap as one edit, ignoring case', () => {
    expect(keyDistance('entryTreshold', 'entryThreshold')).toBe(1);
    expect(keyDistance('maxHodlingMs', 'maxHoldingMs')).toBe(1);
    expect(keyDistance('SOURCE', 'source')).toBe(0);
    expect(keyDistance('mode', 'market')).toBeGreaterThan(2);
  });

  it('prefers a key of the same level, then one at another level, then a retired field', () => {
    expect(suggestKey(['feeds'], 'stalAfterMs')).toEqual({ path: ['feeds', 'staleAfterMs'] });
    expect(suggestKey([], 'maxOpenTrades')).toEqual({ path: ['limits', 'maxOpenTrades'] });
    expect(suggestKey(['engine'], 'entryThreshold')).toEqual({
      path: ['engine', 'entry', 'minExpectedProfit'],
      replaces: 'entryThreshold',
    });
    expect(suggestKey([], 'colour')).toBeUndefined();
  });

  it('names the variable of a path the way the variable is read back', () => {
    const variable = envVariableFor(['engine', 'entry', 'minExpectedProfit']);
    expect(variable).toBe('ARB_ENGINE__ENTRY__MIN_EXPECTED_PROFIT');
    expect(readEnvOverrides({ [variable]: '1' })[0]?.path).toEqual(['engine', 'entry', 'minExpectedProfit']);
    expect(envVariableFor(['runner', 'metricsPort'])).toBe('ARB_RUNNER__METRICS_PORT');
  });
});
