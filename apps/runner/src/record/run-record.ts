import { type EndOptions, waitForEnd } from '../lifecycle/wait-for-end.js';
import type { TextSink } from '../logging/create-logger.js';
import type { StopReason } from '../summary/run-summary.js';
import { type RecordingResult, RecordSession, type RecordSessionOptions } from './record-session.js';

export interface RecordOutcome {
  readonly stopReason: StopReason;
  readonly result: RecordingResult;
  /** Set when the recording failed part-way: what is on disk is readable up to the failure. */
  readonly failure: Error | undefined;
}

export interface RecordRunOptions extends RecordSessionOptions, EndOptions {
  /** Where the progress line goes (stderr in the CLI), every `runner.statusIntervalMs` (0: none). */
  readonly statusSink?: TextSink;
}

/** Records until the duration ends, a signal arrives or the recording fails; returns what was written. */
export async function runRecord(options: RecordRunOptions): Promise<RecordOutcome> {
  const session = await RecordSession.start(options);
  const startedAt = Date.now();
  const every = options.config.runner.statusIntervalMs;
  const sink = options.statusSink;
  const timer =
    sink && every > 0
      ? setInterval(() => {
          const { entries, dropped } = session.progress();
          const seconds = Math.round((Date.now() - startedAt) / 1000);
          sink.write(
            `[RECORDING ${options.dir}] ${seconds}s | ${entries.toLocaleString('en-US')} entries${dropped > 0 ? `, ${dropped} DROPPED` : ''}\n`,
          );
        }, every)
      : undefined;
  try {
    const stopReason = await waitForEnd({ ...options, stop: session.failed });
    const result = await session.stop();
    return { stopReason, result, failure: session.failure };
  } finally {
    clearInterval(timer);
  }
}
