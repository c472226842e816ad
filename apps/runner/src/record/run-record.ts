import { type EndOptions, waitForEnd } from '../session/wait-for-end.js';
import type { StopReason } from '../summary/run-summary.js';
import { type RecordingResult, RecordSession, type RecordSessionOptions } from './record-session.js';

export interface RecordOutcome {
  readonly stopReason: StopReason;
  readonly result: RecordingResult;
  /** Set when the recording failed part-way: what is on disk is readable up to the failure. */
  readonly failure: Error | undefined;
}

/** Records until the duration ends, a signal arrives or the recording fails; returns what was written. */
export async function runRecord(options: RecordSessionOptions & EndOptions): Promise<RecordOutcome> {
  const session = await RecordSession.start(options);
  const stopReason = await waitForEnd({ ...options, stop: session.failed });
  const result = await session.stop();
  return { stopReason, result, failure: session.failure };
}
