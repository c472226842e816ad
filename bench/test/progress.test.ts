import { describe, expect, it } from 'vitest';
import { formatRunStart } from '../src/progress.js';

describe('bench progress line', () => {
  it('which workload and client, and how many runs are left', () => {
    expect(formatRunStart(3, 24, 'unpaced 1×50k · ours')).toBe(
      '[3/24] unpaced 1×50k · ours (21 left after this)',
    );
  });

  it('says when it is the last one', () => {
    expect(formatRunStart(5, 5, 'micro-benchmark: book apply')).toBe(
      '[5/5] micro-benchmark: book apply (the last one)',
    );
  });
});
