import { noopLogger, systemClock } from '@arbitrage/core';
import { type Simulator, startSimulator } from '@arbitrage/simulator';
import { waitFor } from '@arbitrage/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCommand } from '../cli/program.js';
import { DEFAULT_CONFIG } from '../config/defaults.js';
import { loadConfig } from '../config/load-config.js';
import { deepMerge } from '../config/merge.js';
import { type RunnerConfig, runnerConfigSchema } from '../config/schema.js';
import { legPlugins, openExchanges } from '../exchanges/open-exchanges.js';
import { loadExchangeFactories } from '../exchanges/registry.js';
import { resolveAllAssets } from '../exchanges/resolve-all-assets.js';
import { simulatorMarket } from '../market/market.js';
import { MemorySink } from '../test-support/support.js';
import { PaperSession } from './paper-session.js';

let simulator: Simulator | undefined;
let session: PaperSession | undefined;

afterEach(async () => {
  await session?.stop();
  await simulator?.stop();
  session = undefined;
  simulator = undefined;
});

function allAssetsConfig(overrides: Record<string, unknown> = {}): RunnerConfig {
  return runnerConfigSchema.parse(
    deepMerge(structuredClone(DEFAULT_CONFIG), {
      assets: 'all',
      source: 'ws',
      runner: { statusIntervalMs: 0 },
      ...overrides,
    }),
  );
}

const io = { writeOut: () => {}, writeErr: () => {} };

describe('assets: all', () => {
  it('is set by --assets all, the config file or ARB_ASSETS; a paper list of names is refused', async () => {
    const command = await parseCommand(['paper', '--assets', 'all'], io);
    const config = await loadConfig({ env: {}, flags: command.flags });
    expect(config.assets).toBe('all');
    expect(config.tradeNotionalUsd).toBe(100);
    const fromEnv = await loadConfig({ env: { ARB_ASSETS: 'all', ARB_TRADE_NOTIONAL_USD: '250' } });
    expect(fromEnv.assets).toBe('all');
    expect(fromEnv.tradeNotionalUsd).toBe(250);
    const sized = await parseCommand(['paper', '--assets', 'all', '--trade-notional', '40'], io);
    expect((await loadConfig({ env: {}, flags: sized.flags })).tradeNotionalUsd).toBe(40);
    await expect(parseCommand(['paper', '--trade-notional', '-5'], io)).rejects.toThrow();
    await expect(parseCommand(['paper', '--assets', 'BTC'], io)).rejects.toThrow();
    await expect(parseCommand(['record', '--out', 'dir', '--assets', 'all'], io)).rejects.toThrow();
  });

  it('resolves to every asset listed on both legs of the full simulated universe, sized at tradeNotionalUsd', async () => {
    simulator = await startSimulator({ seed: 3, universe: 'full' });
    const config = allAssetsConfig();
    const factories = await loadExchangeFactories(config.exchanges);
    const legs = await openExchanges({
      config,
      factories,
      market: simulatorMarket(simulator, { stopWithRun: false }),
      clock: systemClock,
      logger: noopLogger,
    });
    try {
      const resolved = await resolveAllAssets(config, legs);
      const names = resolved.assets.map((entry) => entry.asset);
      // Binance's snapshots for hundreds of books: 100 levels (weight 5), not the default 1000.
      expect(resolved.feeds.streamDepth).toBe(20);
      expect(
        (await resolveAllAssets({ ...config, feeds: { ...config.feeds, streamDepth: 5 } }, legs)).feeds
          .streamDepth,
      ).toBe(5);
      expect(names.length).toBeGreaterThanOrEqual(150);
      expect(names).not.toContain('USDT');
      const [upbit, binance] = legPlugins(legs);
      for (const name of names) {
        expect(upbit!.symbols.has(`${name}/KRW`)).toBe(true);
        expect(binance!.symbols.has(`${name}/USDT`)).toBe(true);
      }
      // Sized at 100 USD from the price at start: BTC against Binance's own BTC/USDT book.
      const btc = resolved.assets.find((entry) => entry.asset === 'BTC')!;
      const [book] = await binance!.rest().fetchOrderBooks(['BTC/USDT'], { depth: 1 });
      const usdMid = (book!.bids[0]![0] + book!.asks[0]![0]) / 2;
      expect(btc.tradeSize * usdMid).toBeGreaterThan(90);
      expect(btc.tradeSize * usdMid).toBeLessThan(110);
      const limits = resolved.limits.maxPositionPerAsset as Record<string, number>;
      const balances = resolved.paper.initialBalances;
      for (const { asset, tradeSize } of resolved.assets) {
        expect(tradeSize).toBeGreaterThan(0);
        // Explicit defaults (BTC, ETH, XRP) stay; every other asset gets two trades' worth.
        if (!['BTC', 'ETH', 'XRP'].includes(asset)) {
          expect(limits[asset]).toBeCloseTo(2 * tradeSize);
          expect(balances.usdt?.[asset]).toBeCloseTo(2 * tradeSize);
        }
      }
    } finally {
      await Promise.all(legPlugins(legs).map((plugin) => plugin.close()));
    }
  });

  it('a paper session scans them all: every book goes live, the engine evaluates, the summary counts the assets', async () => {
    simulator = await startSimulator({ seed: 3, universe: 'full' });
    const started = await PaperSession.start({
      config: allAssetsConfig(),
      env: {},
      logger: noopLogger,
      statusSink: new MemorySink(),
      market: simulatorMarket(simulator, { stopWithRun: false }),
    });
    session = started;
    // Live at least once: the quiet tail of the universe may be stale again by the time all are in.
    const everLive = new Set<string>();
    const instruments = Object.keys(started.provider.health().instruments);
    const allWentLive = () => {
      for (const health of Object.values(started.provider.health().instruments)) {
        if (health.state === 'live') everLive.add(health.instrument);
      }
      return everLive.size === instruments.length;
    };
    await waitFor(allWentLive, 45_000, () => {
      const waiting = instruments.filter((id) => !everLive.has(id));
      return `${waiting.length} of ${instruments.length} books never live, e.g. ${waiting.slice(0, 5).join(', ')}`;
    });
    const engine = started.engine;
    await waitFor(() => engine.summary().evaluations.count > 0, 10_000, 'evaluations');
    const summary = await started.stop();
    expect(summary.assetsScanned).toBeGreaterThanOrEqual(150);
    expect(instruments.length).toBeGreaterThanOrEqual(2 * (summary.assetsScanned ?? 0));
    expect(summary.evaluations.count).toBeGreaterThan(0);
  }, 60_000);
});
