import { type EndOptions, waitForEnd } from '../lifecycle/wait-for-end.js';
import type { RunSummary } from '../summary/run-summary.js';
import { PaperSession, type SessionOptions } from './paper-session.js';

export interface RunPaperOptions extends SessionOptions, EndOptions {}

/** Runs a paper session until the duration ends or SIGINT/SIGTERM arrives; returns its summary. */
export async function runPaper(options: RunPaperOptions): Promise<RunSummary> {
  const session = await PaperSession.start(options);
  const reason = await waitForEnd(options);
  return session.stop(reason);
}
