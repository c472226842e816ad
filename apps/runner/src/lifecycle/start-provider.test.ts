import { noopLogger } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { startProvider } from './start-provider.js';

describe('startProvider', () => {
  it('returns once the provider started', async () => {
    await expect(startProvider({ start: async () => {} }, noopLogger, 1_000)).resolves.toBeUndefined();
  });

  it('goes on after the wait when the provider never connects (no network), and says so', async () => {
    const warnings: string[] = [];
    const logger = { ...noopLogger, warn: (_: unknown, message: string) => warnings.push(message) };
    const started = Date.now();
    await startProvider({ start: () => new Promise(() => {}) }, logger as typeof noopLogger, 50);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(warnings[0]).toMatch(/still connecting; the run goes on and trades only on live books/);
  });

  it('fails the run when the start fails within the wait', async () => {
    await expect(
      startProvider({ start: async () => Promise.reject(new Error('bad endpoint')) }, noopLogger, 1_000),
    ).rejects.toThrow('bad endpoint');
  });
});
