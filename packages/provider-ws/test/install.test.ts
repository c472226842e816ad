import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Simulator, startSimulator } from '@arbitrage/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * "Install only what you need": pack the built packages with pnpm (which rewrites workspace:^
 * ranges), install only the ones a user needs with plain npm into a project outside the workspace,
 * and stream a live book from the simulator there. The third-party dependencies (ws, and axios
 * through exchange-kit) come from npm's configured registry.
 */
const run = promisify(execFile);
const workspace = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PACKED = [
  'core',
  'ws-client',
  'exchange-kit',
  'provider-ws',
  'exchange-binance',
  'exchange-upbit',
] as const;

/** What a user writes: one exchange plugin, the WebSocket provider, a live book. */
const CONSUMER = `
import { WebSocketMarketDataProvider } from '@arbitrage/provider-ws';
const [pkg, factory, restUrl, wsUrl, symbol] = process.argv.slice(2);
const exchange = (await import(pkg))[factory]({ restUrl, wsUrl });
const provider = new WebSocketMarketDataProvider({ exchanges: [exchange], symbols: [symbol] });
await provider.start();
const deadline = Date.now() + 15000;
while (!provider.health().allLive) {
  if (Date.now() > deadline) throw new Error('no live book: ' + JSON.stringify(provider.health()));
  await new Promise((r) => setTimeout(r, 20));
}
const book = provider.getLatestSnapshot(symbol);
console.log(JSON.stringify({ exchange: book.exchange, symbol: book.symbol, source: book.source, bid: book.bids[0][0], ask: book.asks[0][0] }));
await provider.stop();
await exchange.close();
`;

let sim: Simulator | undefined;
let root: string | undefined;
const tarballs = new Map<string, string>();

beforeAll(async () => {
  for (const name of PACKED) {
    if (!existsSync(join(workspace, 'packages', name, 'dist', 'index.js'))) {
      throw new Error(`packages/${name}/dist is missing: run \`pnpm turbo run build\` before this test`);
    }
  }
  root = await mkdtemp(join(tmpdir(), 'arbitrage-install-'));
  const packs = join(root, 'packs');
  await mkdir(packs);
  const filters = PACKED.flatMap((name) => ['--filter', `@arbitrage/${name}`]);
  await run('pnpm', ['-r', ...filters, 'pack', '--pack-destination', packs], { cwd: workspace });
  for (const file of await readdir(packs)) {
    const name = PACKED.find((candidate) => file.startsWith(`arbitrage-${candidate}-`));
    if (name) tarballs.set(name, join(packs, file));
  }
  sim = await startSimulator({ seed: 11, sendTimeCapacity: 0, binance: { depthLevels: 100 } });
}, 60_000);

afterAll(async () => {
  await sim?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

async function installProject(name: string, packages: readonly string[]): Promise<string> {
  const dir = join(root!, name);
  await mkdir(dir);
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  await writeFile(join(dir, 'stream.mjs'), CONSUMER);
  const files = packages.map((pkg) => {
    const file = tarballs.get(pkg);
    if (!file) throw new Error(`pnpm pack produced no tarball for @arbitrage/${pkg}`);
    return file;
  });
  await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...files], { cwd: dir });
  return dir;
}

describe('installing only what you need, outside the workspace, with plain npm', () => {
  it('core + ws-client + exchange-kit + provider-ws + one exchange streams a live book (Binance, then Upbit alone)', async () => {
    const [binanceDir, upbitDir] = await Promise.all([
      installProject('binance-only', [
        'core',
        'ws-client',
        'exchange-kit',
        'provider-ws',
        'exchange-binance',
      ]),
      installProject('upbit-only', ['core', 'ws-client', 'exchange-kit', 'provider-ws', 'exchange-upbit']),
    ]);
    for (const [dir, exchange, other] of [
      [binanceDir, 'exchange-binance', 'exchange-upbit'],
      [upbitDir, 'exchange-upbit', 'exchange-binance'],
    ] as const) {
      const installed = await readdir(join(dir, 'node_modules', '@arbitrage'));
      expect(installed.sort()).toEqual(['core', exchange, 'exchange-kit', 'provider-ws', 'ws-client'].sort());
      expect(installed).not.toContain(other);
      expect(installed).not.toContain('provider-rest');
      // One copy of core: the exchange and the provider take it as a peer, never nested.
      for (const pkg of installed) {
        expect(existsSync(join(dir, 'node_modules', '@arbitrage', pkg, 'node_modules', '@arbitrage'))).toBe(
          false,
        );
      }
    }

    const [binance, upbit] = await Promise.all([
      run(
        'node',
        [
          'stream.mjs',
          '@arbitrage/exchange-binance',
          'createBinanceExchange',
          sim!.binance.restUrl,
          sim!.binance.wsUrl,
          'BTCUSDT',
        ],
        { cwd: binanceDir, timeout: 30_000 },
      ),
      run(
        'node',
        [
          'stream.mjs',
          '@arbitrage/exchange-upbit',
          'createUpbitExchange',
          sim!.upbit.restUrl,
          sim!.upbit.wsUrl,
          'KRW-BTC',
        ],
        { cwd: upbitDir, timeout: 30_000 },
      ),
    ]);
    const binanceBook = JSON.parse(binance.stdout.trim());
    expect(binanceBook).toMatchObject({ exchange: 'binance', symbol: 'BTC/USDT', source: 'ws' });
    expect(binanceBook.bid).toBeGreaterThan(0);
    expect(binanceBook.bid).toBeLessThan(binanceBook.ask);
    const upbitBook = JSON.parse(upbit.stdout.trim());
    expect(upbitBook).toMatchObject({ exchange: 'upbit', symbol: 'BTC/KRW', source: 'ws' });
    expect(upbitBook.bid).toBeLessThan(upbitBook.ask);
    // The premium market: Upbit's KRW price is far above Binance's USDT price.
    expect(upbitBook.bid / binanceBook.bid).toBeGreaterThan(1000);
  }, 120_000);
});
