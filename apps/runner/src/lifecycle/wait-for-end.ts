import type { Logger } from '@arbitrage/core';
import type { StopReason } from '../summary/run-summary.js';
import { setLongTimeout } from './long-timeout.js';

export interface EndOptions {
  /** Ends the run after this long (any length, even above Node's 24.8-day timer limit); without it the run lasts until a signal. */
  readonly durationMs?: number;
  /** Listen for SIGINT/SIGTERM (the CLI does; tests may not). Default true. */
  readonly handleSignals?: boolean;
  readonly logger: Logger;
  /** Ends the wait early (reason 'stopped'), e.g. when a recording has failed. */
  readonly stop?: AbortSignal;
}

/** Resolves when the duration has passed or SIGINT/SIGTERM arrives, leaving no timer or listener. */
export function waitForEnd(options: EndOptions): Promise<StopReason> {
  return new Promise<StopReason>((resolve) => {
    const cleanups: (() => void)[] = [];
    const finish = (reason: StopReason): void => {
      for (const cleanup of cleanups.splice(0)) cleanup();
      resolve(reason);
    };
    if (options.durationMs !== undefined) {
      cleanups.push(setLongTimeout(() => finish('duration'), options.durationMs));
    }
    const stop = options.stop;
    if (stop) {
      if (stop.aborted) {
        finish('stopped');
        return;
      }
      const onStop = (): void => finish('stopped');
      stop.addEventListener('abort', onStop, { once: true });
      cleanups.push(() => stop.removeEventListener('abort', onStop));
    }
    if (options.handleSignals ?? true) {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        const listener = (): void => {
          options.logger.warn({ signal }, 'signal received: stopping and summarising');
          finish(signal);
        };
        process.once(signal, listener);
        cleanups.push(() => process.off(signal, listener));
      }
    }
  });
}
