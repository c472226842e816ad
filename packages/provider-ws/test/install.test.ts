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
  'exchange-okx',
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

/** One exchange installed alone: its package, factory, where the simulator serves it, and a symbol. */
interface Alone {
  readonly pkg: 'exchange-binance' | 'exchange-upbit' | 'exchange-okx';
  readonly factory: string;
  readonly endpoints: () => { restUrl: string; wsUrl: string };
  readonly symbol: string;
  readonly canonical: string;
}

const ALONE: readonly Alone[] = [
  {
    pkg: 'exchange-binance',
    factory: 'createBinanceExchange',
    endpoints: () => sim!.binance,
    symbol: 'BTCUSDT',
    canonical: 'BTC/USDT',
  },
  {
    pkg: 'exchange-upbit',
    factory: 'createUpbitExchange',
    endpoints: () => sim!.upbit,
    symbol: 'KRW-BTC',
    canonical: 'BTC/KRW',
  },
  {
    pkg: 'exchange-okx',
    factory: 'createOkxExchange',
    endpoints: () => sim!.okx,
    symbol: 'BTC-USDT',
    canonical: 'BTC/USDT',
  },
];

describe('installing only what you need, outside the workspace, with plain npm', () => {
  it('core + ws-client + exchange-kit + provider-ws + one exchange streams a live book (Binance, Upbit, OKX, each alone)', async () => {
    const common = ['core', 'ws-client', 'exchange-kit', 'provider-ws'] as const;
    const dirs = await Promise.all(
      ALONE.map(({ pkg }) => installProject(`${pkg.slice('exchange-'.length)}-only`, [...common, pkg])),
    );
    for (const [i, { pkg }] of ALONE.entries()) {
      const dir = dirs[i]!;
      const installed = await readdir(join(dir, 'node_modules', '@arbitrage'));
      expect(installed.sort()).toEqual([...common, pkg].sort());
      for (const other of ALONE.map((alone) => alone.pkg).filter((name) => name !== pkg)) {
        expect(installed).not.toContain(other);
      }
      expect(installed).not.toContain('provider-rest');
      // One copy of core: the exchange and the provider take it as a peer, never nested.
      for (const name of installed) {
        expect(existsSync(join(dir, 'node_modules', '@arbitrage', name, 'node_modules', '@arbitrage'))).toBe(
          false,
        );
      }
    }

    const outputs = await Promise.all(
      ALONE.map(({ pkg, factory, endpoints, symbol }, i) => {
        const { restUrl, wsUrl } = endpoints();
        return run('node', ['stream.mjs', `@arbitrage/${pkg}`, factory, restUrl, wsUrl, symbol], {
          cwd: dirs[i]!,
          timeout: 30_000,
        });
      }),
    );
    const books = outputs.map((output) => JSON.parse(output.stdout.trim()));
    for (const [i, { pkg, canonical }] of ALONE.entries()) {
      const book = books[i]!;
      expect(book).toMatchObject({
        exchange: pkg.slice('exchange-'.length),
        symbol: canonical,
        source: 'ws',
      });
      expect(book.bid).toBeGreaterThan(0);
      expect(book.bid).toBeLessThan(book.ask);
    }
    const [binanceBook, upbitBook, okxBook] = books;
    // The premium market: Upbit's KRW price is far above the USDT venues' prices, which are close.
    expect(upbitBook.bid / binanceBook.bid).toBeGreaterThan(1000);
    expect(Math.abs(okxBook.bid / binanceBook.bid - 1)).toBeLessThan(0.01);
  }, 120_000);
});
