import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './defaults.js';
import { readEnvOverrides } from './env-overrides.js';
import { loadConfig } from './load-config.js';

async function yamlFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'runner-config-'));
  const file = join(dir, 'config.yaml');
  await writeFile(file, text);
  return file;
}

async function configError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).message;
}

describe('loadConfig', () => {
  it('gives the defaults when nothing overrides them', async () => {
    const config = await loadConfig({ env: {} });
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(config.market).toBe('sim');
    expect(config.source).toBe('failover');
    expect(config.mode).toBe('paper');
  });

  it('layers file, then ARB_* environment, then flags', async () => {
    const file = await yamlFile(
      'source: ws\nassets:\n  - { asset: BTC, tradeSize: 0.02 }\nengine:\n  entry: { minExpectedProfit: 0.01 }\nlimits:\n  maxOpenTrades: 5\n',
    );
    const config = await loadConfig({
      file,
      env: { ARB_ENGINE__ENTRY__MIN_EXPECTED_PROFIT: '0.004', ARB_SOURCE: 'rest', PATH: '/bin' },
      flags: [{ flag: '--source', path: ['source'], value: 'failover' }],
    });
    expect(config.assets).toEqual([{ asset: 'BTC', tradeSize: 0.02 }]);
    expect(config.engine.entry.minExpectedProfit).toBe(0.004);
    expect(config.engine.exit).toEqual(DEFAULT_CONFIG.engine.exit);
    expect(config.limits.maxOpenTrades).toBe(5);
    expect(config.source).toBe('failover');
  });

  it('names the field, the expectation and the file for a wrong type', async () => {
    const file = await yamlFile('engine:\n  entry: { minExpectedProfit: high }\n');
    const message = await configError(loadConfig({ file, env: {} }));
    expect(message).toContain('engine.entry.minExpectedProfit');
    expect(message).toMatch(/expected number/);
    expect(message).toContain(`config file ${file}`);
  });

  it('names the environment variable a bad value came from', async () => {
    const message = await configError(loadConfig({ env: { ARB_RUNNER__TICK_INTERVAL_MS: 'soon' } }));
    expect(message).toContain('runner.tickIntervalMs');
    expect(message).toContain('ARB_RUNNER__TICK_INTERVAL_MS');
  });

  it('rejects negative and zero sizes with the asset index', async () => {
    const message = await configError(
      loadConfig({ env: { ARB_ASSETS: '[{asset: BTC, tradeSize: -0.01}]' } }),
    );
    expect(message).toContain('assets[0].tradeSize');
    expect(message).toMatch(/expected number to be >0/);
  });

  it('rejects unknown keys, naming them', async () => {
    const file = await yamlFile('engine:\n  entryTreshold: 0.01\n');
    const message = await configError(loadConfig({ file, env: {} }));
    expect(message).toContain('entryTreshold');
  });

  it('rejects credentials in the file: keys come from the environment only', async () => {
    const file = await yamlFile('exchangeKeys:\n  binance:\n    apiKey: abc\n');
    const message = await configError(loadConfig({ file, env: {} }));
    expect(message).toContain('exchangeKeys.binance.apiKey');
    expect(message).toContain('BINANCE_API_KEY');
    expect(message).not.toContain('abc');
  });

  it('requires the exchange of both legs and limits for every asset', async () => {
    expect(await configError(loadConfig({ env: { ARB_EXCHANGES: '[upbit, binance]' } }))).toContain(
      'exchanges: expected the exchanges of each leg, e.g. { krw: upbit, usdt: [binance, okx] }',
    );
    expect(await configError(loadConfig({ env: { ARB_EXCHANGES: '{ krw: upbit }' } }))).toContain(
      'exchanges.usdt: Invalid input',
    );
    const chosen = await loadConfig({ env: { ARB_EXCHANGES__USDT: 'okx' } });
    expect(chosen.exchanges).toEqual({ krw: 'upbit', usdt: 'okx' });
    const listed = await loadConfig({ env: { ARB_EXCHANGES__USDT: '[binance, okx]' } });
    expect(listed.exchanges).toEqual({ krw: 'upbit', usdt: ['binance', 'okx'] });
    const fromFile = await loadConfig({
      file: await yamlFile('exchanges:\n  usdt: [binance, okx]\n'),
      env: {},
    });
    expect(fromFile.exchanges).toEqual({ krw: 'upbit', usdt: ['binance', 'okx'] });
    expect(await configError(loadConfig({ env: { ARB_EXCHANGES__USDT: '[binance, binance]' } }))).toContain(
      'exchanges.usdt: an exchange is listed twice',
    );
    const file = await yamlFile(
      'assets: [{ asset: SOL, tradeSize: 1 }]\nlimits:\n  maxPositionPerAsset: { BTC: 1 }\n',
    );
    const merged = await configError(loadConfig({ file, env: {} }));
    expect(merged).toContain('limits.maxPositionPerAsset has no cap for SOL');
  });

  it('points a config written for the threshold rules at what replaced each field', async () => {
    const file = await yamlFile('engine:\n  entryThreshold: 0.0025\n  exitThreshold: 0.0005\n');
    const message = await configError(loadConfig({ file, env: {} }));
    expect(message).toContain('engine.entryThreshold is no longer read; use engine.entry.minExpectedProfit');
    expect(message).toContain('engine.exitThreshold is no longer read; use engine.exit.convergenceBand');
    expect(message).toContain(`config file ${file}`);
  });

  it('takes a reference of another mode whole, not merged with the default one', async () => {
    const file = await yamlFile('engine:\n  baseline: { mode: fixed, premium: 0.02 }\n');
    const config = await loadConfig({ file, env: {} });
    expect(config.engine.baseline).toEqual({ mode: 'fixed', premium: 0.02 });
    const rolling = await loadConfig({ env: { ARB_ENGINE__BASELINE__WINDOW_MS: '3600000' } });
    expect(rolling.engine.baseline).toMatchObject({
      mode: 'rolling',
      windowMs: 3_600_000,
      warmupMs: 600_000,
    });
  });

  it('refuses a warm-up longer than the reference window', async () => {
    const message = await configError(loadConfig({ env: { ARB_ENGINE__BASELINE__WARMUP_MS: '99999999' } }));
    expect(message).toContain('engine.baseline.warmupMs is 99999999; expected 0 to windowMs (7200000)');
  });

  it('says which file could not be read', async () => {
    const message = await configError(loadConfig({ file: '/nonexistent/runner.yaml', env: {} }));
    expect(message).toContain('/nonexistent/runner.yaml');
    expect(message).toContain('ENOENT');
  });
});

describe('readEnvOverrides', () => {
  it('maps ARB_A__B_C to a.bC and parses YAML values', () => {
    expect(
      readEnvOverrides({
        ARB_ENGINE__EXIT__MAX_HOLDING_MS: '5000',
        ARB_EXCHANGES: '[upbit, binance]',
        HOME: '/',
      }),
    ).toEqual([
      { variable: 'ARB_ENGINE__EXIT__MAX_HOLDING_MS', path: ['engine', 'exit', 'maxHoldingMs'], value: 5000 },
      { variable: 'ARB_EXCHANGES', path: ['exchanges'], value: ['upbit', 'binance'] },
    ]);
  });
});
