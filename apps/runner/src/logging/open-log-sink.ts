import { tmpdir } from 'node:os';
import type { TextSink } from './create-logger.js';
import { logFileName } from './log-file-name.js';
import type { LogOutput } from './log-output.js';
import { type ClosableSink, openTerminalLogSink } from './terminal-log-sink.js';

/** The sink the runner's logger writes to, for the chosen output; says where the log file is. */
export function openLogSink(options: {
  readonly output: LogOutput;
  readonly stderr: TextSink;
  readonly command: string;
  /** Where the log file of a terminal run goes (default: the system's temporary directory). */
  readonly dir?: string;
}): ClosableSink {
  const { stderr } = options;
  if (options.output === 'json-lines') return { write: (line) => stderr.write(line), close: () => {} };
  const file = logFileName(options.dir ?? tmpdir(), options.command, new Date(), process.pid);
  const sink = openTerminalLogSink({ file, terminal: stderr });
  stderr.write(`full log: ${file} (warnings and errors are also shown here)\n`);
  return sink;
}
