import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handlesAdded, MemorySink, openHandles } from '../test-support/support.js';
import { EXIT_BAD_INPUT, runCli } from './run-cli.js';

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly imported: readonly string[];
}

/** Runs the CLI in-process; records every exchange package it tried to load. */
async function cli(argv: string[], env: Record<string, string> = {}): Promise<Outcome> {
  const stdout = new MemorySink();
  const stderr = new MemorySink();
  const imported: string[] = [];
  const code = await runCli(argv, {
    stdout,
    stderr,
    env,
    handleSignals: false,
    importer: (specifier) => {
      imported.push(specifier);
      return import(specifier);
    },
  });
  return { code, stdout: stdout.text, stderr: stderr.text, imported };
}

async function yamlFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'runner-cli-'));
  const file = join(dir, 'bad.yaml');
  await writeFile(file, text);
  return file;
}

/** Bad input: a clear message, a non-zero exit, and nothing started (no package loaded, no socket left). */
async function expectRefused(argv: string[], env: Record<string, string>, ...messages: (string | RegExp)[]) {
  const before = openHandles();
  const outcome = await cli(argv, env);
  expect(outcome.code).toBe(EXIT_BAD_INPUT);
  for (const message of messages) {
    if (typeof message === 'string') expect(outcome.stderr).toContain(message);
    else expect(outcome.stderr).toMatch(message);
  }
  expect(outcome.stdout).toBe('');
  expect(outcome.stderr).not.toContain('starting paper trading');
  expect(handlesAdded(before, openHandles())).toEqual([]);
  return outcome;
}

describe('bad input is refused before anything starts', () => {
  it('wrong types in the config file', async () => {
    const file = await yamlFile('engine:\n  exit: { maxHoldingMs: "ten minutes" }\n');
    const outcome = await expectRefused(
      ['paper', '--config', file],
      {},
      'engine.exit.maxHoldingMs',
      'expected number, received string',
    );
    expect(outcome.imported).toEqual([]);
  });

  it('wrong types in flags', async () => {
    await expectRefused(
      ['paper', '--metrics-port', 'ninety'],
      {},
      "'--metrics-port <port>'",
      'expected a port',
    );
    await expectRefused(['paper', '--duration', '10 parsecs'], {}, "'--duration <time>'", 'such as 15s');
    await expectRefused(['paper', '--market', 'moon'], {}, 'Allowed choices are sim, live');
    await expectRefused(
      ['paper', '--source', 'carrier-pigeon'],
      {},
      'Allowed choices are ws, rest, failover',
    );
    await expectRefused(['paper', '--no-such-flag'], {}, "unknown option '--no-such-flag'");
  });

  it('an unknown exchange', async () => {
    const outcome = await expectRefused(
      ['paper'],
      { ARB_EXCHANGES__USDT: 'kraken' },
      'exchanges.usdt: unknown exchange "kraken"; expected one of upbit, binance, okx',
    );
    expect(outcome.imported).toEqual([]);
  });

  it('an --exchanges list without a USDT venue, or with one twice', async () => {
    for (const list of ['upbit', 'upbit,binance,binance', 'upbit,,binance']) {
      await expectRefused(
        ['paper', '--exchanges', list],
        {},
        "'--exchanges <krw,usdt,…>'",
        'one or more USDT venues',
      );
    }
  });

  it('an exchange package that is not installed', async () => {
    const stderr = new MemorySink();
    const code = await runCli(['paper'], {
      stdout: new MemorySink(),
      stderr,
      env: {},
      handleSignals: false,
      packages: {
        upbit: { packageName: '@arbitrage/exchange-upbit-missing', factoryExport: 'createUpbitExchange' },
        binance: { packageName: '@arbitrage/exchange-binance', factoryExport: 'createBinanceExchange' },
      },
    });
    expect(code).toBe(EXIT_BAD_INPUT);
    expect(stderr.text).toContain('run `pnpm add @arbitrage/exchange-upbit-missing`');
  });

  it('an unknown symbol', async () => {
    await expectRefused(
      ['paper'],
      { ARB_ASSETS: '[{asset: DOGX, tradeSize: 10}]', ARB_LIMITS__MAX_POSITION_PER_ASSET: '100' },
      'assets[0].asset: the simulator has no market for "DOGX"',
    );
    await expectRefused(['paper'], { ARB_ASSETS: '[{asset: btc, tradeSize: 1}]' }, 'assets[0].asset');
  });

  it('negative sizes and limits', async () => {
    await expectRefused(['paper'], { ARB_ASSETS: '[{asset: BTC, tradeSize: -1}]' }, 'assets[0].tradeSize');
    await expectRefused(['paper'], { ARB_LIMITS__MAX_NOTIONAL_USD: '-5' }, 'limits.maxNotionalUsd');
    await expectRefused(['paper'], { ARB_PAPER__LATENCY_MS: '-1' }, 'paper.latencyMs');
  });

  it('a negative entry threshold, by its real name, with why and where from', async () => {
    const file = await yamlFile(
      'engine:\n  entry: { minExpectedProfit: -0.01 }\n  exit: { convergenceBand: -0.01 }\n',
    );
    await expectRefused(
      ['paper', '--config', file],
      {},
      /engine\.entry\.minExpectedProfit: below 0: a negative minimum expected profit opens pairs at a loss.*\(given -0\.01\) \[from config file .*bad\.yaml\]/,
      /engine\.exit\.convergenceBand: below 0/,
    );
    const retired = await yamlFile('engine:\n  entryThreshold: -0.01\n  exitThreshold: -0.02\n');
    const outcome = await expectRefused(
      ['paper', '--config', retired],
      {},
      `engine.entryThreshold (config file ${retired}) is not a setting: engine.entryThreshold is no longer read; use engine.entry.minExpectedProfit`,
      'a negative entry threshold opens pairs at a loss',
      'engine.exitThreshold is no longer read; use engine.exit.convergenceBand',
    );
    expect(outcome.stderr.match(/opens pairs at a loss/g)).toHaveLength(1);
    await expectRefused(
      ['paper'],
      { ARB_ENGINE__ENTRY__MIN_EXPECTED_PROFIT: '-0.01' },
      /engine\.entry\.minExpectedProfit: below 0: .*\[from environment variable ARB_ENGINE__ENTRY__MIN_EXPECTED_PROFIT\]/,
    );
  });

  it('an asset without a position cap: what is missing and the lines that add it', async () => {
    const file = await yamlFile(
      'assets: [{ asset: BTC, tradeSize: 0.01 }, { asset: SOL, tradeSize: 1.5 }]\n',
    );
    const outcome = await expectRefused(
      ['paper', '--config', file],
      {},
      'limits.maxPositionPerAsset has no cap for SOL',
      'names BTC, ETH, XRP only',
      `Add a line to config file ${file}`,
      '  limits:\n    maxPositionPerAsset:\n      SOL: 3\n',
      'ARB_LIMITS__MAX_POSITION_PER_ASSET=N',
      "With assets: all, an asset without a cap gets 2 trades' worth",
    );
    expect(outcome.stderr).not.toContain('is not a number above 0');
  });

  it('an unknown key: the file, and the nearest setting', async () => {
    const file = await yamlFile('entryTreshold: 0.004\nfeeds:\n  stalAfterMs: 100\ndepth: 10\n');
    await expectRefused(
      ['paper', '--config', file],
      {},
      `entryTreshold (config file ${file}) is not a setting: engine.entryThreshold, which it resembles, is no longer read; use engine.entry.minExpectedProfit`,
      `feeds.stalAfterMs (config file ${file}) is not a setting; did you mean feeds.staleAfterMs?`,
      `depth (config file ${file}) is not a setting; did you mean feeds.depth?`,
    );
    const far = await yamlFile('colour: blue\n');
    await expectRefused(['paper', '--config', far], {}, `colour (config file ${far}) is not a setting\n`);
  });

  it('an unknown ARB_ variable, named as the variable with the variable meant', async () => {
    const outcome = await expectRefused(
      ['paper'],
      {
        ARB_ENGINE__ENTRY__MIN_EXPECTED_PROFT: '0.004',
        ARB_ENTRY_TRESHOLD: '0.004',
        ARB_RUNER__LOG_LEVEL: 'warn',
      },
      'ARB_ENGINE__ENTRY__MIN_EXPECTED_PROFT is not a setting; did you mean ARB_ENGINE__ENTRY__MIN_EXPECTED_PROFIT?',
      'ARB_ENTRY_TRESHOLD is not a setting: engine.entryThreshold, which it resembles, is no longer read; use ARB_ENGINE__ENTRY__MIN_EXPECTED_PROFIT',
      'ARB_RUNER__LOG_LEVEL is not a setting; did you mean ARB_RUNNER__LOG_LEVEL?',
    );
    expect(outcome.stderr).not.toContain('(top level)');
  });

  it('live mode without the environment', async () => {
    const live = await expectRefused(
      ['live'],
      {},
      'live mode refused',
      'ARBITRAGE_LIVE_CONFIRM',
      'UPBIT_ACCESS_KEY',
    );
    expect(live.imported).toEqual([]);
    await expectRefused(
      ['paper'],
      { ARBITRAGE_MODE: 'live', UPBIT_ACCESS_KEY: 'canary-access-key-123' },
      'live mode refused',
      'asked for by: ARBITRAGE_MODE=live in the environment',
      'missing: the `live` command (arbitrage-runner live, instead of paper)',
      'remove ARBITRAGE_MODE=live in the environment to run on paper',
    );
    const keys = await cli(['live'], {
      ARB_MODE: 'live',
      ARBITRAGE_MODE: 'live',
      ARBITRAGE_LIVE_CONFIRM: 'I_UNDERSTAND_REAL_ORDERS',
      UPBIT_ACCESS_KEY: 'canary-access-key-123',
    });
    expect(keys.code).toBe(EXIT_BAD_INPUT);
    expect(keys.stderr).toContain('BINANCE_API_KEY in the environment');
    expect(keys.stderr).not.toContain('canary-access-key-123');
  });

  it('every live switch set: still nothing is sent, there is no live sender', async () => {
    const outcome = await cli(['live'], {
      ARB_MODE: 'live',
      ARBITRAGE_MODE: 'live',
      ARBITRAGE_LIVE_CONFIRM: 'I_UNDERSTAND_REAL_ORDERS',
      UPBIT_ACCESS_KEY: 'a-access-1234',
      UPBIT_SECRET_KEY: 'a-secret-1234',
      BINANCE_API_KEY: 'b-key-12345',
      BINANCE_API_SECRET: 'b-secret-1234',
    });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('no live order sender');
    expect(outcome.imported).toEqual([]);
  });

  it('--help exits 0 and lists the options', async () => {
    const outcome = await cli(['paper', '--help']);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('--source <source>');
    expect(outcome.stdout).toContain('--metrics-port <port>');
  });
});
