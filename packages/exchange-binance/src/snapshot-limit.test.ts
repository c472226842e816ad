import { describe, expect, it } from 'vitest';
import { depthWeight } from './rest-client.js';
import { DEFAULT_SNAPSHOT_LIMIT, snapshotLimitFor } from './snapshot-limit.js';

describe('snapshot size by need (3d)', () => {
  it('takes the cheapest weight tier that covers the depth a stream needs', () => {
    expect([1, 20, 100].map(snapshotLimitFor)).toEqual([100, 100, 100]);
    expect([101, 500].map(snapshotLimitFor)).toEqual([500, 500]);
    expect([501, 1000].map(snapshotLimitFor)).toEqual([1000, 1000]);
    expect([1001, 5000, 20_000].map(snapshotLimitFor)).toEqual([5000, 5000, 5000]);
    expect([100, 500, 1000, 5000].map((limit) => depthWeight(snapshotLimitFor(limit)))).toEqual([
      5, 25, 50, 250,
    ]);
  });

  it('defaults to 1000 levels (weight 50), a fifth of the deepest snapshot, when no depth is given', () => {
    expect(snapshotLimitFor(undefined)).toBe(DEFAULT_SNAPSHOT_LIMIT);
    expect(DEFAULT_SNAPSHOT_LIMIT).toBe(1000);
    expect(depthWeight(DEFAULT_SNAPSHOT_LIMIT)).toBe(50);
    expect(snapshotLimitFor(0)).toBe(1000);
    expect(snapshotLimitFor(Number.NaN)).toBe(1000);
  });
});
