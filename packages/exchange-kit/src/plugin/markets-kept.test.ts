import { once } from 'node:events';
import type { Logger } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { MARKETS_KEPT_WARNING, warnMarketsKept } from './markets-kept.js';

describe('warnMarketsKept', () => {
  it('logs through the logger the plugin was given', () => {
    const warnings: string[] = [];
    const logger = {
      warn: (_fields: object, message: string) => warnings.push(message),
    } as unknown as Logger;
    warnMarketsKept(logger, 'binance exchangeInfo', new Error('HTTP 404'), { count: 26, source: 'fallback' });
    expect(warnings).toEqual([
      'binance exchangeInfo could not be loaded (HTTP 404); keeping 26 fallback markets',
    ]);
  });

  it('without a logger, is a process warning rather than silence', async () => {
    const warned = once(process, 'warning');
    warnMarketsKept(undefined, 'okx instruments', new Error('HTTP 404'), { count: 3, source: 'fallback' });
    const [warning] = (await warned) as [Error & { code?: string }];
    expect(warning.code).toBe(MARKETS_KEPT_WARNING);
    expect(warning.message).toBe(
      'okx instruments could not be loaded (HTTP 404); keeping 3 fallback markets',
    );
  });
});
