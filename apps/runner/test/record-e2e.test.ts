import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecording } from '../src/recording/index.js';
import type { RunSummary } from '../src/summary/run-summary.js';
import { requireBuilt, startCli } from './run-cli.js';

beforeAll(requireBuilt);

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'record-e2e-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Reads a whole recording: entries by exchange and kind, and whether time ever went backwards. */
async function readAll(dir: string) {
  const recording = await openRecording(dir);
  const kinds: Record<string, Record<string, number>> = {};
  let last = Number.NEGATIVE_INFINITY;
  let backwards = 0;
  const rest: string[] = [];
  for await (const entry of recording.entries()) {
    const byKind = kinds[entry.exchange] ?? {};
    kinds[entry.exchange] = byKind;
    byKind[entry.kind] = (byKind[entry.kind] ?? 0) + 1;
    if (entry.t < last) backwards++;
    last = entry.t;
    if (entry.kind === 'r') rest.push(`${entry.exchange} ${entry.meta}`);
  }
  return { recording, kinds, backwards, rest };
}

describe('record --market sim', () => {
  it('records every frame and REST answer of both exchanges, readable in time order', async () => {
    const dir = path.join(root, 'sim');
    const run = startCli([
      'record',
      '--market',
      'sim',
      '--duration',
      '4s',
      '--out',
      dir,
      '--log-level',
      'warn',
    ]);
    const result = await run.finished;
    expect(result.code, result.stderr.slice(-2_000)).toBe(0);
    expect(result.stdout).toContain(`=== recording · ${dir} ===`);
    const { recording, kinds, backwards, rest } = await readAll(dir);
    expect(backwards).toBe(0);
    expect(recording.warnings()).toEqual([]);
    // Upbit sends JSON in binary frames; Binance text frames; each opened a connection.
    expect(kinds.upbit?.u ?? 0).toBeGreaterThan(50);
    expect(kinds.upbit?.o).toBeGreaterThanOrEqual(1);
    expect(kinds.binance?.w ?? 0).toBeGreaterThan(50);
    expect(kinds.binance?.o).toBeGreaterThanOrEqual(1);
    // The market lists and Binance's depth snapshots came over REST.
    expect(rest.some((line) => line.startsWith('upbit 200 GET /v1/market/all'))).toBe(true);
    expect(rest.some((line) => line.startsWith('binance 200 GET /api/v3/exchangeInfo'))).toBe(true);
    expect(rest.some((line) => line.startsWith('binance 200 GET /api/v3/depth'))).toBe(true);
    const manifest = recording.manifest;
    expect(manifest.market).toBe('sim');
    expect(manifest.endedAt).not.toBeNull();
    expect(manifest.exchanges.upbit?.symbols).toEqual(['BTC/KRW', 'ETH/KRW', 'XRP/KRW', 'USDT/KRW']);
    expect(manifest.exchanges.binance?.symbols).toEqual(['BTC/USDT', 'ETH/USDT', 'XRP/USDT']);
  }, 30_000);

  it('paper --record records while it trades', async () => {
    const dir = path.join(root, 'paper');
    const run = startCli(['paper', '--duration', '3s', '--json', '--record', dir, '--log-level', 'warn']);
    const result = await run.finished;
    expect(result.code, result.stderr.slice(-2_000)).toBe(0);
    const summary = JSON.parse(result.stdout.trim()) as RunSummary;
    expect(summary.updates).toBeGreaterThan(0);
    const { kinds, backwards } = await readAll(dir);
    expect(backwards).toBe(0);
    expect(kinds.upbit?.u ?? 0).toBeGreaterThan(20);
    expect(kinds.binance?.w ?? 0).toBeGreaterThan(20);
  }, 30_000);

  it('refuses a folder it cannot record into before anything starts', async () => {
    const file = path.join(root, 'not-a-folder');
    await writeFile(file, 'x');
    const run = startCli(['record', '--market', 'sim', '--duration', '2s', '--out', file]);
    const result = await run.finished;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(file);
    expect(result.stderr).toContain('nothing was started');
    expect(result.stderr).not.toContain('recording SIMULATED MARKET');
  }, 30_000);
});
