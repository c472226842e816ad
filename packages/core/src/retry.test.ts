import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { NetworkError, RateLimitError } from './errors.js';
import { retry, sleep } from './retry.js';

const noJitter = { baseMs: 100, capMs: 1_000, jitter: 0 };

describe('retry', () => {
  it('retries a retryable failure with backoff and returns the first success', async () => {
    const clock = new ManualClock(0);
    const attempts: number[] = [];
    const waits: number[] = [];
    const result = retry(
      async (attempt) => {
        attempts.push(clock.now());
        if (attempt < 3) throw new NetworkError('connection reset');
        return 'ok';
      },
      {
        attempts: 5,
        backoff: noJitter,
        clock,
        isRetryable: (error) => error instanceof NetworkError,
        onRetry: (_, __, delayMs) => waits.push(delayMs),
      },
    );
    await clock.advanceAsync(1_000);
    await expect(result).resolves.toBe('ok');
    expect(waits).toEqual([100, 200]);
    expect(attempts).toEqual([0, 100, 300]);
  });

  it('throws the last error when attempts run out, and a non-retryable error at once', async () => {
    const clock = new ManualClock(0);
    let calls = 0;
    const exhausted = retry(
      async () => {
        calls++;
        throw new NetworkError(`failure ${calls}`);
      },
      { attempts: 3, backoff: noJitter, clock, isRetryable: () => true },
    );
    const settled = exhausted.catch((error: unknown) => error);
    await clock.advanceAsync(1_000);
    expect(await settled).toMatchObject({ message: 'failure 3' });

    let fatalCalls = 0;
    await expect(
      retry(
        async () => {
          fatalCalls++;
          throw new TypeError('bug');
        },
        { clock, isRetryable: (error) => error instanceof NetworkError },
      ),
    ).rejects.toThrow(TypeError);
    expect(fatalCalls).toBe(1);
  });

  it('waits at least the Retry-After of a rate-limit error', async () => {
    const clock = new ManualClock(0);
    const waits: number[] = [];
    let calls = 0;
    const result = retry(
      async () => {
        if (++calls === 1) throw new RateLimitError('binance', 429, 5_000, 'slow down');
        return calls;
      },
      { backoff: noJitter, clock, isRetryable: () => true, onRetry: (_, __, delayMs) => waits.push(delayMs) },
    );
    await clock.advanceAsync(4_999);
    expect(calls).toBe(1);
    await clock.advanceAsync(1);
    await expect(result).resolves.toBe(2);
    expect(waits).toEqual([5_000]);
  });

  it('stops waiting when the signal aborts and leaves no timer behind', async () => {
    const clock = new ManualClock(0);
    const controller = new AbortController();
    const result = retry(
      async () => {
        throw new NetworkError('down');
      },
      { attempts: 10, backoff: noJitter, clock, signal: controller.signal, isRetryable: () => true },
    );
    await clock.advanceAsync(0);
    expect(clock.pendingTimers).toBe(1);
    controller.abort(new Error('stopped'));
    await expect(result).rejects.toThrow('stopped');
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('sleep', () => {
  it('resolves when the clock reaches the delay', async () => {
    const clock = new ManualClock(0);
    let done = false;
    const slept = sleep(50, clock).then(() => {
      done = true;
    });
    clock.advance(49);
    await Promise.resolve();
    expect(done).toBe(false);
    clock.advance(1);
    await slept;
    expect(done).toBe(true);
  });

  it('rejects at once with the reason of an already-aborted signal', async () => {
    const clock = new ManualClock(0);
    await expect(sleep(50, clock, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    expect(clock.pendingTimers).toBe(0);
  });
});
