/**
 * Where the log lines go. 'json-lines': pino's JSON on stderr, as always for pipes, files, CI and
 * `--json`. 'terminal': a person is watching, so the terminal keeps the status line and shows
 * warnings and errors as text, and the full JSON log goes to a file.
 */
export type LogOutput = 'json-lines' | 'terminal';

export function chooseLogOutput(options: {
  /** Both stdout and stderr are a terminal. */
  readonly terminal: boolean;
  /** `--json` was given: the output is for a program, whatever it is attached to. */
  readonly json: boolean;
}): LogOutput {
  return options.terminal && !options.json ? 'terminal' : 'json-lines';
}
