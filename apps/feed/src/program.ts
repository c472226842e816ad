import { Command, InvalidArgumentError } from 'commander';
import { durationArg, integerArg, logLevelOption, marketOption, sourceOption } from './runner-parts.js';

export interface FeedCommand {
  readonly natsUrl: string;
  readonly configFile: string | undefined;
  readonly durationMs: number | undefined;
  readonly flags: ReadonlyArray<{ flag: string; path: string[]; value: unknown }>;
}

function natsUrlArg(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError('expected a NATS URL such as nats://127.0.0.1:4222');
  }
  if (url.protocol !== 'nats:' && url.protocol !== 'tls:') {
    throw new InvalidArgumentError(`expected a nats:// URL, got ${url.protocol}//…`);
  }
  return text;
}

/** Parses argv (without node and the script). Throws commander's CommanderError on usage errors and --help. */
export function parseFeedCommand(
  argv: readonly string[],
  output: { writeOut(text: string): void; writeErr(text: string): void },
): FeedCommand {
  const program = new Command('arbitrage-feed')
    .description('runs the market-data providers once and publishes their books to NATS')
    .exitOverride()
    .configureOutput(output)
    .showHelpAfterError('(run with --help for usage)')
    .requiredOption('--nats <url>', 'NATS server to publish to, e.g. nats://127.0.0.1:4222', natsUrlArg)
    .option('--config <file>', 'YAML config file, as for `pnpm paper` (the same assets and exchanges)')
    .addOption(marketOption())
    .addOption(sourceOption())
    .option('--duration <time>', 'stop after this long (15s, 2m); default: until Ctrl-C', durationArg)
    .option('--seed <n>', 'simulator seed', integerArg)
    .addOption(logLevelOption());
  program.parse([...argv], { from: 'user' });
  const options = program.opts<Record<string, unknown>>();
  const flags: Array<{ flag: string; path: string[]; value: unknown }> = [];
  const add = (flag: string, path: string[], value: unknown): void => {
    if (value !== undefined) flags.push({ flag, path, value });
  };
  add('--market', ['market'], options.market);
  add('--source', ['source'], options.source);
  add('--seed', ['simulator', 'seed'], options.seed);
  add('--log-level', ['runner', 'logLevel'], options.logLevel);
  return {
    natsUrl: options.nats as string,
    configFile: options.config as string | undefined,
    durationMs: options.duration as number | undefined,
    flags,
  };
}
