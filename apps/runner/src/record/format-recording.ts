import type { RecordOutcome } from './run-record.js';

/** What `record` prints when it ends. */
export function formatRecording(outcome: RecordOutcome): string {
  const { result } = outcome;
  const lines = [
    `=== recording · ${result.dir} ===`,
    `  ended         ${outcome.failure ? 'FAILED' : outcome.stopReason}`,
    `  entries       ${result.entries.toLocaleString('en-US')}${result.dropped > 0 ? `, ${result.dropped.toLocaleString('en-US')} dropped` : ''}`,
    `  files         ${result.files.length === 0 ? 'none' : result.files.join(', ')}`,
    '',
  ];
  return lines.join('\n');
}
