import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createOkxExchange } from '@arbitrage/exchange-okx';
import { waitFor } from '@arbitrage/test-support';
import { describe, expect, it } from 'vitest';
import { parseCli, runCli, USAGE } from '../src/cli-run.js';
import { clientEndpoints } from '../src/client-endpoints.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

describe('CLI', () => {
  it('maps flags to simulator options', () => {
    const { options, json } = parseCli([
      '--seed',
      '9',
      '--port-base',
      '9100',
      '--markets',
      'BTC,SOL',
      '--binance-rate',
      '50',
      '--upbit-rate',
      '5',
      '--ping-interval',
      '5s',
      '--idle-timeout',
      '1m',
      '--premium',
      '0.03',
      '--preset',
      'demo',
      '--time-scale',
      '30',
      '--fault',
      'gap:binance:BTCUSDT@10s',
      '--fault',
      'drop:upbit@1m',
      '--okx-rate',
      '20',
      '--okx-depth',
      '200',
      '--no-okx-snapshot',
      '--okx-checksum',
      'crc32',
      '--paused',
      '--json',
    ]);
    expect(json).toBe(true);
    expect(options).toMatchObject({
      seed: 9,
      portBase: 9100,
      assets: ['BTC', 'SOL'],
      autoStart: false,
      premium: { mean: 0.03 },
      premiumPreset: 'demo',
      timeScale: 30,
      faultSchedule: ['gap:binance:BTCUSDT@10s', 'drop:upbit@1m'],
      binance: { updatesPerSecond: 50, pingIntervalMs: 5000 },
      upbit: { updatesPerSecond: 5, idleTimeoutMs: 60_000 },
      okx: { updatesPerSecond: 20, depthLevels: 200, snapshotPush: false, checksum: 'crc32' },
    });
    expect(parseCli([]).options.okx?.snapshotPush).toBe(true);
    expect(() => parseCli(['--okx-checksum', 'md5'])).toThrow(/--okx-checksum must be zero or crc32/);
    expect(() => parseCli(['--seed', 'abc'])).toThrow(/--seed must be a number/);
    expect(() => parseCli(['--bogus'])).toThrow();
    expect(() => parseCli(['--preset', 'fast'])).toThrow(/--preset must be one of calibrated, demo/);
    expect(() => parseCli(['--time-scale', 'x'])).toThrow(/--time-scale must be a number/);
  });

  it('prints the six URLs, as text or JSON', async () => {
    const lines: string[] = [];
    const sim = await runCli(['--json', '--seed', '3', '--paused', '--preset', 'demo'], {
      out: (line) => lines.push(line),
    });
    try {
      const printed = JSON.parse(lines[0]!) as {
        seed: number;
        preset: string;
        timeScale: number;
        upbit: { wsUrl: string };
        binance: { restUrl: string };
        okx: { restUrl: string; wsUrl: string };
      };
      expect(printed.seed).toBe(3);
      expect([printed.preset, printed.timeScale]).toEqual(['demo', 60]);
      expect(printed.upbit.wsUrl).toBe(sim!.upbit.wsUrl);
      expect((await fetch(`${printed.binance.restUrl}/api/v3/ping`)).status).toBe(200);
      expect(printed.okx).toEqual(sim!.okx);
      expect((await fetch(`${printed.okx.restUrl}/api/v5/public/time`)).status).toBe(200);
    } finally {
      await sim?.stop();
    }
    const text: string[] = [];
    const second = await runCli(['--paused'], { out: (line) => text.push(line) });
    await second?.stop();
    expect(text.join('\n')).toContain('premium  calibrated preset, market time x1');
    const help: string[] = [];
    expect(await runCli(['--help'], { out: (line) => help.push(line) })).toBeUndefined();
    expect(help[0]).toBe(USAGE);
  });

  it('prints, per exchange, exactly the plugin options and the ccxt constructor options a client takes', async () => {
    const text: string[] = [];
    const sim = await runCli(['--paused'], { out: (line) => text.push(line) });
    try {
      const { upbit, binance, okx } = sim!;
      const output = text.join('\n');
      expect(output).toContain(
        `createUpbitExchange({ restUrl: '${upbit.restUrl}', wsUrl: '${upbit.wsUrl}' })`,
      );
      expect(output).toContain(
        `createBinanceExchange({ restUrl: '${binance.restUrl}', wsUrl: '${binance.wsUrl}' })`,
      );
      expect(output).toContain(`createOkxExchange({ restUrl: '${okx.restUrl}', wsUrl: '${okx.wsUrl}' })`);
      expect(output).toContain(
        `new ccxt.pro.binance({ urls: { api: { public: '${binance.restUrl}/api/v3', private: '${binance.restUrl}/api/v3', v1: '${binance.restUrl}/api/v1', ws: { spot: '${binance.wsUrl}/ws' } } }, options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false } })`,
      );
      expect(output).toContain(
        `new ccxt.pro.okx({ urls: { api: { rest: '${okx.restUrl}', ws: '${okx.wsUrl}/ws/v5' } }`,
      );
      expect(output).toContain(`new ccxt.pro.upbit({ urls: { api: { public: '${upbit.restUrl}'`);
      // The plugin options are origins, which every plugin accepts (test/okx-plugin.test.ts, and the
      // Binance and Upbit plugins through the provider-ws consumer example): a pasted path would be refused.
      for (const endpoints of [upbit, binance, okx]) {
        expect(new URL(endpoints.restUrl).pathname).toBe('/');
        expect(new URL(endpoints.wsUrl).pathname).toBe('/');
      }
      const plugin = createOkxExchange(clientEndpoints(sim!).okx.plugin);
      try {
        await plugin.loadMarkets();
        expect(plugin.marketsSource).toBe('exchange');
      } finally {
        await plugin.close();
      }
    } finally {
      await sim?.stop();
    }
  });

  it('runs as dist/cli.js and stops cleanly on SIGINT', async () => {
    expect(
      existsSync(CLI),
      'build the package first (pnpm turbo run build --filter=@arbitrage/simulator)',
    ).toBe(true);
    const child = spawn(process.execPath, [CLI, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitFor(() => output.includes('\n'), 10_000, 'the CLI to print its URLs');
    const urls = JSON.parse(output) as { upbit: { restUrl: string } };
    expect((await fetch(`${urls.upbit.restUrl}/v1/market/all`)).status).toBe(200);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect(fetch(`${urls.upbit.restUrl}/v1/market/all`)).rejects.toThrow();
  }, 15_000);

  it('a Ctrl-C the moment "Ctrl-C to stop" is printed still stops cleanly (exit 0, not killed)', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const child = spawn(process.execPath, [CLI], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.once('data', () => child.kill('SIGINT'));
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
        child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
      );
      expect({ code, signal }).toEqual({ code: 0, signal: null });
    }
  }, 30_000);
});
