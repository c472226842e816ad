import type { RunSummary, StopReason } from '../summary/run-summary.js';
import { PaperSession, type SessionOptions } from './paper-session.js';

export interface RunPaperOptions extends SessionOptions {
  /** Ends the run after this long; without it the run lasts until a signal. */
  readonly durationMs?: number;
  /** Listen for SIGINT/SIGTERM (the CLI does; tests may not). Default true. */
  readonly handleSignals?: boolean;
}

/** Runs a paper session until the duration ends or SIGINT/SIGTERM arrives; returns its summary. */
export async function runPaper(options: RunPaperOptions): Promise<RunSummary> {
  const session = await PaperSession.start(options);
  const reason = await waitForEnd(options);
  return session.stop(reason);
}

function waitForEnd(options: RunPaperOptions): Promise<StopReason> {
  return new Promise<StopReason>((resolve) => {
    const cleanups: (() => void)[] = [];
    const finish = (reason: StopReason): void => {
      for (const cleanup of cleanups.splice(0)) cleanup();
      resolve(reason);
    };
    if (options.durationMs !== undefined) {
      const timer = setTimeout(() => finish('duration'), options.durationMs);
      cleanups.push(() => clearTimeout(timer));
    }
    if (options.handleSignals ?? true) {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        const listener = (): void => {
          options.logger.warn({ signal }, 'signal received: no new trades, summarising and stopping');
          finish(signal);
        };
        process.once(signal, listener);
        cleanups.push(() => process.off(signal, listener));
      }
    }
  });
}
