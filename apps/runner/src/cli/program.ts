import { Command, InvalidArgumentError, Option } from 'commander';
import type { FlagValue } from '../config/load-config.js';
import { durationArg, integerArg, logLevelOption, marketOption, sourceOption } from './options.js';

/** What a `paper` invocation asks for, before the config is loaded. */
export interface PaperCommand {
  readonly command: 'paper';
  readonly configFile: string | undefined;
  readonly durationMs: number | undefined;
  readonly json: boolean;
  /** Also record what the exchanges send to this directory. */
  readonly recordDir: string | undefined;
  readonly flags: readonly FlagValue[];
}

/** `live`: asks the LiveGuard; there is no live order sender in this release. */
export interface LiveCommand {
  readonly command: 'live';
  readonly configFile: string | undefined;
  readonly flags: readonly FlagValue[];
}

/** `record`: what the exchanges send, to a recording directory (docs/recording.md). */
export interface RecordCommand {
  readonly command: 'record';
  readonly configFile: string | undefined;
  readonly durationMs: number | undefined;
  readonly dir: string;
  readonly flags: readonly FlagValue[];
}

/** `backtest`: the paper engine on a recording (docs/recording.md), deterministic. */
export interface BacktestCommand {
  readonly command: 'backtest';
  readonly configFile: string | undefined;
  readonly dir: string;
  readonly from: number | undefined;
  readonly to: number | undefined;
  readonly json: boolean;
  /** `path=from:to:step` grids: run one backtest per point, in parallel processes, and rank them. */
  readonly sweeps: readonly string[];
  /** Also write a self-contained HTML report here. */
  readonly report: string | undefined;
  readonly flags: readonly FlagValue[];
}

export type ParsedCommand = PaperCommand | LiveCommand | RecordCommand | BacktestCommand;

export interface ProgramOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

function intervalArg(text: string): number {
  if (text === 'off' || /^0+(ms|s|m|h)?$/.test(text.trim())) return 0;
  return durationArg(text);
}

function portArg(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw new InvalidArgumentError('expected a port number 0–65535');
  return port;
}

function positiveNumberArg(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0)
    throw new InvalidArgumentError('expected a number above 0, e.g. 250');
  return value;
}

const CONFIG_HELP = 'YAML config file (validated; ARB_* environment variables override it)';

function simPresetOption(): Option {
  return new Option(
    '--sim-preset <name>',
    'simulated premium: demo (market time ×60, a spike at 15 s) or calibrated (real time)',
  ).choices(['demo', 'calibrated']);
}

function exchangesOption(): Option {
  return new Option(
    '--exchanges <krw,usdt,…>',
    'the KRW venue, then one or more USDT venues: upbit,binance or upbit,binance,okx (each KRW venue trades against each USDT venue)',
  ).argParser(exchangesArg);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Parses argv into a command. Throws commander's CommanderError for usage errors (after writing the
 * message through `output`), including --help and --version (exit code 0).
 */
export async function parseCommand(argv: readonly string[], output: ProgramOutput): Promise<ParsedCommand> {
  let parsed: ParsedCommand | undefined;
  const program = new Command('arbitrage-runner')
    .description('Upbit KRW <-> Binance USDT premium: market data in, simulated (paper) fills out')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: output.writeOut, writeErr: output.writeErr })
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('paper', { isDefault: true })
    .description('paper-trade on the embedded simulator (default) or on live public market data')
    .addOption(marketOption())
    .addOption(sourceOption({ nats: true }))
    .option('--nats-url <url>', 'NATS server of the feed, for --source nats (e.g. nats://127.0.0.1:4222)')
    .addOption(exchangesOption())
    .option(
      '--assets <all>',
      'all: scan every asset listed on both legs, each sized at tradeNotionalUsd (a sized list belongs in --config)',
      allAssetsArg,
    )
    .option(
      '--trade-notional <usd>',
      'with --assets all: the size of every trade in USD (default 100)',
      positiveNumberArg,
    )
    .option('--duration <time>', 'stop after this long (15s, 2m, 1h); default: until Ctrl-C', durationArg)
    .option('--config <file>', CONFIG_HELP)
    .option('--json', 'print the final summary as one JSON object on stdout (logs stay on stderr)', false)
    .option('--metrics-port <port>', 'serve Prometheus metrics on this port (0 = any free port)', portArg)
    .addOption(logLevelOption())
    .option('--status-interval <time>', 'status line period (default 3s; off or 0 = none)', intervalArg)
    .addOption(simPresetOption())
    .option('--seed <n>', 'simulator seed', integerArg)
    .option(
      '--sim-fault <spec>',
      'simulator fault in its CLI syntax, repeatable (e.g. rest:upbit:500+5s)',
      collect,
    )
    .option('--record <dir>', 'also record what the exchanges send to this new directory (docs/recording.md)')
    .action((options: Record<string, unknown>) => {
      parsed = {
        command: 'paper',
        configFile: options.config as string | undefined,
        durationMs: options.duration as number | undefined,
        json: options.json === true,
        recordDir: options.record as string | undefined,
        flags: flagValues(options),
      };
    });

  program
    .command('record')
    .description('record every frame and REST answer the exchanges send, for replay and backtests')
    .requiredOption('--out <dir>', 'a new (or empty) directory to record into')
    .addOption(marketOption())
    .addOption(exchangesOption())
    .option('--assets <list>', 'base assets, e.g. BTC,ETH,XRP (default: the configured ones)', assetsArg)
    .addOption(sourceOption())
    .option('--duration <time>', 'stop after this long (2m, 1h); default: until Ctrl-C', durationArg)
    .option('--config <file>', CONFIG_HELP)
    .addOption(simPresetOption())
    .option('--seed <n>', 'simulator seed', integerArg)
    .addOption(logLevelOption())
    .action((options: Record<string, unknown>) => {
      parsed = {
        command: 'record',
        configFile: options.config as string | undefined,
        durationMs: options.duration as number | undefined,
        dir: options.out as string,
        flags: flagValues(options),
      };
    });

  program
    .command('backtest')
    .description('run the paper engine on a recording, on a virtual clock: same data and config, same result')
    .requiredOption('--data <dir>', 'a recording made by `record` or `paper --record`')
    .option('--config <file>', CONFIG_HELP)
    .addOption(exchangesOption())
    .option('--from <time>', 'start at this time (ISO 8601, e.g. 2026-12-06T08:00:00Z)', timeArg)
    .option('--to <time>', 'stop before this time (ISO 8601)', timeArg)
    .option('--json', 'print the summary as one JSON object on stdout', false)
    .option(
      '--sweep <path=from:to:step>',
      'run a grid of backtests in parallel and rank them, repeatable (e.g. engine.entry.minExpectedProfit=0.001:0.005:0.001)',
      collect,
    )
    .option(
      '--report <file.html>',
      'also write a self-contained HTML report (charts, trades, where the money went)',
    )
    .addOption(logLevelOption())
    .action((options: Record<string, unknown>) => {
      parsed = {
        command: 'backtest',
        sweeps: (options.sweep as string[] | undefined) ?? [],
        report: options.report as string | undefined,
        configFile: options.config as string | undefined,
        dir: options.data as string,
        from: options.from as number | undefined,
        to: options.to as number | undefined,
        json: options.json === true,
        flags: flagValues(options),
      };
    });

  program
    .command('live')
    .description('check whether live trading would be allowed (this release sends no live orders)')
    .option('--config <file>', 'YAML config file')
    .action((options: Record<string, unknown>) => {
      parsed = { command: 'live', configFile: options.config as string | undefined, flags: [] };
    });

  await program.parseAsync([...argv], { from: 'user' });
  if (!parsed) throw new InvalidArgumentError('no command given; try `paper --help`');
  return parsed;
}

function flagValues(options: Record<string, unknown>): FlagValue[] {
  const flags: FlagValue[] = [];
  const add = (flag: string, path: string[], value: unknown): void => {
    if (value !== undefined) flags.push({ flag, path, value });
  };
  add('--market', ['market'], options.market);
  add('--source', ['source'], options.source);
  add('--nats-url', ['feeds', 'natsUrl'], options.natsUrl);
  add('--metrics-port', ['runner', 'metricsPort'], options.metricsPort);
  add('--log-level', ['runner', 'logLevel'], options.logLevel);
  add('--status-interval', ['runner', 'statusIntervalMs'], options.statusInterval);
  add('--sim-preset', ['simulator', 'preset'], options.simPreset);
  add('--seed', ['simulator', 'seed'], options.seed);
  add('--sim-fault', ['simulator', 'faults'], options.simFault);
  add('--exchanges', ['exchanges'], options.exchanges);
  add('--trade-notional', ['tradeNotionalUsd'], options.tradeNotional);
  if (options.assets === 'all') add('--assets', ['assets'], 'all');
  else if (options.assets !== undefined) {
    add('--assets', ['assets'], options.assets);
    // A recording trades nothing; the risk limits only have to name every asset to pass the checks.
    add('--assets', ['limits', 'maxPositionPerAsset'], 1);
  }
  return flags;
}

function timeArg(text: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms))
    throw new InvalidArgumentError('expected an ISO 8601 time such as 2026-12-06T08:00:00Z');
  return ms;
}

/** `upbit,binance,okx` → `{ krw: 'upbit', usdt: ['binance', 'okx'] }`: the first is the KRW venue. */
function exchangesArg(text: string): { krw: string; usdt: string[] } {
  const names = text.split(',').map((name) => name.trim());
  if (names.length < 2 || names.some((name) => name === '') || new Set(names).size !== names.length) {
    throw new InvalidArgumentError(
      'expected the KRW venue then one or more USDT venues, each once, e.g. upbit,binance or upbit,binance,okx',
    );
  }
  return { krw: names[0]!, usdt: names.slice(1) };
}

function allAssetsArg(text: string): 'all' {
  if (text.trim().toLowerCase() !== 'all') {
    throw new InvalidArgumentError('expected all (list assets with their trade sizes in --config)');
  }
  return 'all';
}

function assetsArg(text: string): { asset: string; tradeSize: number }[] {
  if (text.trim().toLowerCase() === 'all') {
    throw new InvalidArgumentError('all is for paper only; record needs base assets such as BTC,ETH,XRP');
  }
  const assets = text.split(',').map((asset) => asset.trim().toUpperCase());
  if (assets.some((asset) => !/^[A-Z0-9]+$/.test(asset))) {
    throw new InvalidArgumentError('expected base assets separated by commas, e.g. BTC,ETH,XRP');
  }
  // Sizes matter to trading only; a recording keeps the books whatever the size.
  return assets.map((asset) => ({ asset, tradeSize: 1 }));
}
