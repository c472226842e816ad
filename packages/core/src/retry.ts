import { Backoff, type BackoffOptions } from './backoff.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { RateLimitError } from './errors.js';

export interface RetryOptions {
  /** Total attempts including the first (default 3). */
  readonly attempts?: number;
  /** Delays between attempts (default 200 ms doubling to 2 s, with jitter). */
  readonly backoff?: BackoffOptions;
  /**
   * Whether an error is worth another attempt (5xx, timeouts, resets). A retried RateLimitError
   * waits at least its `retryAfterMs`.
   */
  readonly isRetryable: (error: unknown) => boolean;
  readonly clock?: Clock;
  readonly signal?: AbortSignal;
  /** Called before each wait, for logs and counters. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** Sleeps on `clock`, rejecting early (and clearing its timer) when `signal` aborts. */
export function sleep(delayMs: number, clock: Clock = systemClock, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clock.clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `operation` until it succeeds, a non-retryable error is thrown, the signal aborts, or the
 * attempts run out; then throws the last error (or the abort reason, when aborted while waiting).
 */
export async function retry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 3);
  const clock = options.clock ?? systemClock;
  const backoff = new Backoff(options.backoff ?? { baseMs: 200, capMs: 2_000 });
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= attempts || !options.isRetryable(error) || options.signal?.aborted) throw error;
      const retryAfterMs = error instanceof RateLimitError && error.retryAfterMs > 0 ? error.retryAfterMs : 0;
      const delayMs = Math.max(backoff.next(), retryAfterMs);
      options.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs, clock, options.signal);
    }
  }
}
