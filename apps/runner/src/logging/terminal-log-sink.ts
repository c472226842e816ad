import { closeSync, openSync, writeSync } from 'node:fs';
import type { TextSink } from './create-logger.js';
import { formatLogLine } from './format-log-line.js';

export interface ClosableSink extends TextSink {
  close(): void;
}

/**
 * Every log line (already scrubbed JSON) to `file`; warnings and errors also to the terminal, as
 * text. Writes are synchronous, so nothing is lost when the process exits right after the summary.
 */
export function openTerminalLogSink(options: {
  readonly file: string;
  readonly terminal: TextSink;
}): ClosableSink {
  let fd: number | undefined = openSync(options.file, 'a', 0o600);
  return {
    write(line: string): void {
      if (fd !== undefined) writeSync(fd, line);
      const text = formatLogLine(line);
      if (text !== undefined) options.terminal.write(text);
    },
    close(): void {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
