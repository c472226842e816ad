import { sleep } from '@arbitrage/test-support';
import type { Scenario } from './scenario.js';
import { TEST_SCALE } from './timings.js';

/** Busy-waits: the point is to block the event loop, as a slow consumer or a GC pause would. */
function blockFor(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // spin
  }
}

const STREAMING = ['stream', 'ws', 'failover'] as const;

/**
 * Scenarios that block this process's event loop. They run one at a time, in their own file, so
 * that they never stall another case.
 */
export const STALL_SCENARIOS: readonly Scenario[] = [
  {
    number: 30,
    id: '30',
    name: 'slow consumer: 50 ms per snapshot for 1.5 s at ~100 updates/s',
    exchanges: ['binance', 'upbit', 'okx'],
    providers: STREAMING,
    boundMs: 1_000,
    bound: 'bounded memory; book current or flagged; live ≤ 1 s after the consumer speeds up',
    run: async (ctx) => {
      const rssBefore = process.memoryUsage().rss;
      const injectedAt = Date.now();
      let blocked = 0;
      const off = ctx.provider.onSnapshot(() => {
        blocked++;
        blockFor(50);
      });
      await sleep(1_500);
      off();
      ctx.metrics.blockedCallbacks = blocked;
      ctx.metrics.rssGrowthMb = Math.round((process.memoryUsage().rss - rssBefore) / 1_048_576);
      return { injectedAt, liftedAt: Date.now() };
    },
    verify: (ctx) =>
      Number(ctx.metrics.rssGrowthMb) < 100
        ? []
        : [`RSS grew ${ctx.metrics.rssGrowthMb} MB under a slow consumer`],
  },
  {
    number: 31,
    id: '31',
    name: 'event-loop stall: 1.5 s synchronous busy loop',
    exchanges: ['binance', 'upbit', 'okx'],
    providers: ['stream', 'ws', 'failover', 'rest'],
    boundMs: TEST_SCALE.F + 500,
    bound: 'on resume the age is re-checked before the book is served live; live ≤ F + 500 ms',
    run: async () => {
      const injectedAt = Date.now();
      blockFor(1_500);
      const liftedAt = Date.now();
      await sleep(300);
      return { injectedAt, liftedAt };
    },
  },
];
