import type { Logger } from '@arbitrage/core';
import { type DestinationStream, type LevelWithSilent, pino } from 'pino';
import { REDACT_PATHS, REDACTED, type SecretScrubber } from './secrets.js';

export interface TextSink {
  write(text: string): void;
}

export interface RunnerLogger extends Logger {
  readonly level: string;
  flush(): void;
}

/**
 * pino writing JSON lines to `sink` (stderr in the CLI), with credentials censored twice: by key path
 * (pino `redact`) and by value in the finished line, which covers messages, error messages, stacks
 * and causes wherever a secret might have been copied.
 */
export function createRunnerLogger(options: {
  readonly level: LevelWithSilent;
  readonly sink: TextSink;
  readonly scrubber: SecretScrubber;
  /** The `app` field of every line (default 'arbitrage-runner'). */
  readonly app?: string;
}): RunnerLogger {
  const { sink, scrubber } = options;
  const destination: DestinationStream = {
    write: (line: string) => sink.write(scrubber.scrub(line)),
  };
  return pino(
    {
      level: options.level,
      base: { app: options.app ?? 'arbitrage-runner' },
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      serializers: { err: pino.stdSerializers.errWithCause, error: pino.stdSerializers.errWithCause },
    },
    destination,
  );
}
