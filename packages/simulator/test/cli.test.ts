import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@arbitrage/test-support';
import { describe, expect, it } from 'vitest';
import { parseCli, runCli, USAGE } from '../src/cli-run.js';

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
    expect(text.join('\n')).toContain(`${second!.binance.wsUrl}/ws`);
    expect(text.join('\n')).toContain(`${second!.okx.wsUrl}/ws/v5/public`);
    expect(text.join('\n')).toContain('premium  calibrated preset, market time x1');
    const help: string[] = [];
    expect(await runCli(['--help'], { out: (line) => help.push(line) })).toBeUndefined();
    expect(help[0]).toBe(USAGE);
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
