import { InvalidArgumentError, Option } from 'commander';
import { parseDuration } from './duration.js';

// Arguments and options that more than one command line takes (the runner's and the feed's).

export function durationArg(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined)
    throw new InvalidArgumentError('expected a duration above 0 such as 15s, 500ms, 2m or 1h');
  return ms;
}

export function integerArg(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new InvalidArgumentError('expected a whole number');
  return Number(text);
}

export function marketOption(): Option {
  return new Option(
    '--market <market>',
    'sim: the embedded simulator; live: the exchanges\u2019 public endpoints',
  ).choices(['sim', 'live']);
}

export function sourceOption(options: { readonly nats?: boolean } = {}): Option {
  return new Option(
    '--source <source>',
    options.nats
      ? 'market-data provider (nats: books from a `pnpm feed`, with --nats-url)'
      : 'market-data provider',
  ).choices(['ws', 'rest', 'failover', ...(options.nats ? ['nats'] : [])]);
}

export function logLevelOption(): Option {
  return new Option('--log-level <level>', 'pino log level').choices([
    'fatal',
    'error',
    'warn',
    'info',
    'debug',
    'trace',
    'silent',
  ]);
}
