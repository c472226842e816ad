import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config/defaults.js';
import { deepMerge } from '../config/merge.js';
import { type RunnerConfig, runnerConfigSchema } from '../config/schema.js';
import type { MarketHandle } from './market.js';

// The built module: the simulator runs in a worker thread started from dist/market/sim-worker.js.
const { openMarket } = (await import(
  new URL('../../dist/market/market.js', import.meta.url).href
)) as typeof import('./market.js');

let market: MarketHandle | undefined;

afterEach(async () => {
  await market?.stop();
  market = undefined;
});

function configWith(source: string): RunnerConfig {
  return runnerConfigSchema.parse(
    deepMerge(structuredClone(DEFAULT_CONFIG), {
      source,
      feeds: { natsUrl: 'nats://127.0.0.1:4222' },
    }),
  );
}

async function lastUpdateIds(handle: MarketHandle): Promise<[number, number]> {
  const url = `${handle.endpointsFor('binance').restUrl}/api/v3/depth?symbol=BTCUSDT&limit=5`;
  const first = (await (await fetch(url)).json()) as { lastUpdateId: number };
  await sleep(600);
  const second = (await (await fetch(url)).json()) as { lastUpdateId: number };
  return [first.lastUpdateId, second.lastUpdateId];
}

it('with source nats the simulator only answers market lists: its market does not run', async () => {
  market = await openMarket(configWith('nats'));
  const [before, after] = await lastUpdateIds(market);
  expect(after).toBe(before);
  await market.stop();
  market = await openMarket(configWith('ws'));
  const [wsBefore, wsAfter] = await lastUpdateIds(market);
  expect(wsAfter).toBeGreaterThan(wsBefore);
});
