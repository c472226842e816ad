import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '@arbitrage/simulator';
import { manyAssets } from './assets.js';
import { ClientProcess } from './client-process.js';
import type {
  ClientConfig,
  ClientKind,
  ExchangeKind,
  FirstBookReport,
  OkxSubscribePacing,
  SnapshotPacing,
} from './protocol.js';
import { median } from './stats.js';
import { nativeSymbol } from './symbols.js';

/** 'quiet': the simulator's market never moves (no diff, no trade); 'active': it ticks in real time. */
export type MarketKind = 'quiet' | 'active';

export interface StartupCase {
  readonly exchange: ExchangeKind;
  readonly market: MarketKind;
  readonly symbols: number;
  /** Binance snapshot size 'ours' asks for (default 1000, what ccxt asks for). */
  readonly snapshotLimit?: number;
}

/** One client starting on one case: when each symbol's first usable book arrived. */
export interface StartupRun {
  readonly client: ClientKind;
  /** ms from the client's start (loadMarkets included) to each symbol's first book, NaN = none. */
  readonly perSymbolMs: readonly number[];
  /** ms until the first symbol had a book. */
  readonly firstMs: number;
  /** Median over the symbols. */
  readonly medianMs: number;
  /** ms until every symbol had a book (NaN when one never did). */
  readonly allMs: number;
  readonly notes: Readonly<Record<string, string | number>>;
}

export interface StartupOptions {
  readonly seed: number;
  /** How long to wait for every symbol's first book. */
  readonly timeoutMs: number;
  /** Binance snapshot pacing for 'ours' (default: the plugin's). */
  readonly snapshotPacing?: SnapshotPacing;
  /** OKX subscribe pacing for 'ours' (default: the plugin's). */
  readonly okxSubscribe?: OkxSubscribePacing;
  /** Whether the simulator sends OKX's snapshot push on subscribe (default true, as OKX still does). */
  readonly okxSnapshotPush?: boolean;
  readonly log?: (line: string) => void;
}

const CLIENT_MAIN = fileURLToPath(new URL('./client/first-book-main.js', import.meta.url));
/** The simulator's other exchanges barely move (they would only take CPU from the run). */
const IDLE_RATE = 0.001;

export function caseName(c: StartupCase): string {
  const limit = c.snapshotLimit === undefined ? '' : ` depth ${c.snapshotLimit}`;
  return `${c.exchange} ${c.market} ${c.symbols} symbol${c.symbols === 1 ? '' : 's'}${limit}`;
}

/**
 * Starts a fresh simulator (quiet: never started, so nothing moves; active: ticking at its default
 * 10 updates/s per symbol), forks one client and returns when each symbol got its first usable
 * book, measured in the client from just before it starts (its imports excluded).
 */
export async function runStartup(
  client: ClientKind,
  startup: StartupCase,
  options: StartupOptions,
): Promise<StartupRun> {
  const assets = manyAssets(startup.symbols);
  const symbols = assets.map((asset) => nativeSymbol(startup.exchange, asset.base));
  const idleUnless = (exchange: ExchangeKind) =>
    startup.exchange === exchange ? {} : { updatesPerSecond: IDLE_RATE };
  const sim = await startSimulator({
    autoStart: startup.market === 'active',
    seed: options.seed,
    assets,
    sendTimeCapacity: 0,
    binance: { depthLevels: Math.max(1000, startup.snapshotLimit ?? 1000), ...idleUnless('binance') },
    upbit: idleUnless('upbit'),
    okx: { ...idleUnless('okx'), snapshotPush: options.okxSnapshotPush ?? true },
  });
  const endpoints = sim[startup.exchange];
  const config: ClientConfig = {
    client,
    exchange: startup.exchange,
    symbols,
    restUrl: endpoints.restUrl,
    wsUrl: endpoints.wsUrl,
    compareLevels: 0,
    capacity: 1,
    ...(startup.snapshotLimit === undefined ? {} : { snapshotLimit: startup.snapshotLimit }),
    ...(options.snapshotPacing ? { snapshotPacing: options.snapshotPacing } : {}),
    ...(options.okxSubscribe ? { okxSubscribe: options.okxSubscribe } : {}),
  };
  const child = new ClientProcess(
    fork(CLIENT_MAIN, [JSON.stringify(config)], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  try {
    if (!(await child.next('loaded', 60_000))) throw new Error(`${client} did not load`);
    let report: FirstBookReport | undefined = await child.next('first-book', options.timeoutMs);
    if (!report) {
      options.log?.(`  ${client}: not every symbol had a book within ${options.timeoutMs} ms`);
      child.send({ type: 'report' });
      report = await child.next('first-book', 10_000);
      if (!report) throw new Error(`${client} did not report`);
    }
    const started = report.startedAt;
    const perSymbolMs = symbols.map((symbol) => ((report.firstAt[symbol] ?? Number.NaN) - started) / 1e6);
    const seen = perSymbolMs.filter((ms) => Number.isFinite(ms));
    return {
      client,
      perSymbolMs,
      firstMs: seen.length > 0 ? Math.min(...seen) : Number.NaN,
      medianMs: seen.length === perSymbolMs.length ? median(perSymbolMs) : Number.NaN,
      allMs: seen.length === perSymbolMs.length ? Math.max(...seen) : Number.NaN,
      notes: report.notes,
    };
  } finally {
    await child.exit();
    await sim.stop();
  }
}
