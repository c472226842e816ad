import { describe, expect, it } from 'vitest';
import { waitFor } from './wait.js';

describe('waitFor', () => {
  it('resolves once the condition holds, with the time it took', async () => {
    let calls = 0;
    const took = await waitFor(() => ++calls >= 3, 'three polls', { intervalMs: 1 });
    expect(calls).toBe(3);
    expect(took).toBeGreaterThanOrEqual(0);
  });

  it('names what it waited for, as a string or a late-built description', async () => {
    await expect(waitFor(() => false, 'the book', { timeoutMs: 20 })).rejects.toThrow(
      'timed out after 20 ms waiting for the book',
    );
    await expect(
      waitFor(
        () => false,
        20,
        () => 'health: down',
      ),
    ).rejects.toThrow('timed out after 20 ms waiting for health: down');
    await expect(waitFor(() => false, 20)).rejects.toThrow('waiting for condition');
  });
});
