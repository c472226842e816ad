import { describe, expect, it } from 'vitest';
// The harness forks its clients from the built files, so the test drives the build (pnpm test builds first).
import { firstBookMarkdown, runFirstBook } from '../dist/first-book.js';

describe('first-book harness (smoke: one quiet symbol per exchange, no timing assertions)', () => {
  it('gets a first book from ours and ccxt on a market that never moves, on every exchange', async () => {
    const result = await runFirstBook({
      smoke: true,
      exchanges: ['binance', 'upbit', 'okx'],
      seed: 7,
      log: () => {},
    });
    expect(result.entries).toHaveLength(3 * 2);
    for (const entry of result.entries) {
      const what = `${entry.case} · ${entry.client}`;
      expect(entry.market, what).toBe('quiet');
      expect(entry.allMs, what).toBeGreaterThan(0);
      expect(Number.isFinite(entry.allMs), what).toBe(true);
    }
    expect(firstBookMarkdown(result)).toMatch(/binance quiet 1 symbol \|/);
    expect(firstBookMarkdown(result)).toMatch(/okx quiet 1 symbol \|/);
  }, 120_000);
});
