import { MALFORMED_KINDS } from '@arbitrage/simulator';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimHarness, simHarness, sleep } from './test-support/sim-harness.js';

const SYMBOLS = ['BTC/USDT', 'ETH/USDT'] as const;
let h: SimHarness;

beforeAll(async () => {
  h = await simHarness([...SYMBOLS]);
  await h.stream.start();
  h.drive();
  await h.waitLive();
  h.pauseDriving();
});

afterAll(async () => {
  await h.stop();
});

type Action =
  | { kind: 'steps'; count: number }
  | { kind: 'skip' | 'duplicate'; symbol: string; count: number }
  | { kind: 'reorder' | 'cross'; symbol: string }
  | { kind: 'malformed'; symbol: string; malformed: (typeof MALFORMED_KINDS)[number] }
  | { kind: 'drop' }
  | { kind: 'close'; code: number }
  | { kind: 'snapshot-fault'; status: number };

const native = fc.constantFrom('BTCUSDT', 'ETHUSDT');
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('steps' as const), count: fc.integer({ min: 1, max: 20 }) }),
  fc.record({
    kind: fc.constantFrom('skip' as const, 'duplicate' as const),
    symbol: native,
    count: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({ kind: fc.constantFrom('reorder' as const, 'cross' as const), symbol: native }),
  fc.record({
    kind: fc.constant('malformed' as const),
    symbol: native,
    malformed: fc.constantFrom(...MALFORMED_KINDS),
  }),
  fc.constant<Action>({ kind: 'drop' }),
  fc.record({ kind: fc.constant('close' as const), code: fc.constantFrom(1000, 1001, 1011) }),
  fc.record({ kind: fc.constant('snapshot-fault' as const), status: fc.constantFrom(500, 503) }),
);

function apply(step: Action): void {
  const faults = h.sim.faults;
  switch (step.kind) {
    case 'steps':
      return;
    case 'skip':
      faults.skipUpdates('binance', step.symbol, step.count);
      return;
    case 'duplicate':
      faults.duplicateMessages('binance', step.symbol, step.count);
      return;
    case 'reorder':
      faults.reorderMessages('binance', step.symbol);
      return;
    case 'cross':
      faults.crossBook('binance', step.symbol);
      return;
    case 'malformed':
      faults.sendMalformed('binance', step.malformed, { symbol: step.symbol });
      return;
    case 'drop':
      faults.dropConnections('binance');
      return;
    case 'close':
      faults.closeConnections('binance', step.code);
      return;
    case 'snapshot-fault':
      faults.restFault('binance', { path: '/api/v3/depth', status: step.status, count: 1 });
      return;
  }
}

async function steps(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    h.sim.market.stepBinance(1);
    await sleep(3);
  }
}

describe('property: after any updates and faults, a live book equals the true book', () => {
  it('holds for random fault sequences', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 5 }), async (actions) => {
        for (const step of actions) {
          apply(step);
          await steps(step.kind === 'steps' ? step.count : 4);
          // Keep the market moving until every book is live again, then compare at rest.
          const deadline = Date.now() + 8_000;
          while (!SYMBOLS.every((s) => h.stream.status(s)?.state === 'live')) {
            if (Date.now() > deadline)
              throw new Error(
                `not live after ${JSON.stringify(step)}: ${SYMBOLS.map((s) => h.stream.status(s)?.reason)}`,
              );
            await steps(1);
          }
          for (const symbol of SYMBOLS) {
            const { local, truth } = await h.expectBooksEqual(symbol);
            expect(local).toEqual(truth);
          }
        }
        h.sim.faults.clear();
      }),
      { numRuns: 12, seed: 20260801 },
    );
    // The sequences did exercise recovery, not just quiet updates.
    const counters = SYMBOLS.map((symbol) => h.stream.counters(symbol)!);
    expect(counters.reduce((sum, c) => sum + c.gaps, 0)).toBeGreaterThan(0);
    expect(counters.reduce((sum, c) => sum + c.resyncs, 0)).toBeGreaterThan(0);
    expect(counters.reduce((sum, c) => sum + c.invalidMessages, 0)).toBeGreaterThan(0);
    expect(h.stream.connectionClients()[0]!.counters.opens).toBeGreaterThan(1);
  });
});
