import { describe, expect, it } from 'vitest';
import { modelAllLive } from '../src/all-live-model.js';

// Simulated time (a ManualClock driving the plugin's own scheduler and budget): no wall-clock timing.
describe('modelAllLive (the plugin scheduler and budget on a ManualClock)', () => {
  it('is bound by nothing but the requests when the budget has room: 100 snapshots, 20 at once', async () => {
    const result = await modelAllLive({ symbols: 100, snapshotLimit: 100 });
    expect(result.weight).toBe(5);
    expect(result.firstMs).toBe(0);
    expect(result.allMs).toBe(0);
    expect(result.perMinute).toEqual([100]);
  });

  it('waits for the budget window: exchangeInfo (20) + 99 × 50 fill 5000, the 100th waits a minute', async () => {
    const result = await modelAllLive({ symbols: 100, snapshotLimit: 1000 });
    expect(result.weight).toBe(50);
    expect(result.perMinute).toEqual([99, 1]);
    expect(result.allMs).toBe(60_000);
  });

  it('fits 19 of the deepest snapshots (weight 250) in the first minute and 20 in each after', async () => {
    const result = await modelAllLive({ symbols: 100, snapshotLimit: 5000 });
    expect(result.weight).toBe(250);
    expect(result.perMinute).toEqual([19, 20, 20, 20, 20, 1]);
  });

  it('adds the request time of the last snapshot', async () => {
    const paced = await modelAllLive({ symbols: 20, snapshotLimit: 100 });
    const slow = await modelAllLive({ symbols: 20, snapshotLimit: 100, requestMs: 50 });
    expect(slow.allMs).toBe(paced.allMs + 50);
  });
});
