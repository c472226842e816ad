import { fork } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { BenchFeed, type Simulator, startSimulator } from '@arbitrage/simulator';
import { benchAssets } from './assets.js';
import { ClientProcess } from './client-process.js';
import type { ClientConfig, ClientKind, ClientReport } from './protocol.js';
import { bookDifference, completionTime, joinLatencies, type LatencyStats } from './stats.js';
import { bookSubscription, nativeSymbol } from './symbols.js';
import type { Workload } from './workloads.js';

/** One client's result on one workload. */
export interface RunResult {
  readonly workload: string;
  readonly exchange: Workload['exchange'];
  readonly symbols: number;
  readonly paced: boolean;
  readonly client: ClientKind;
  readonly implementation: string;
  readonly updates: number;
  /** Updates the client's books reflected per second, from the first send to the last update applied. */
  readonly updatesPerSecond: number;
  readonly complete: boolean;
  /** Paced runs only. */
  readonly latency: LatencyStats | undefined;
  readonly cpuMicrosPerUpdate: number;
  readonly peakRssMb: number;
  /** The simulator's (harness process's) CPU per update while it produced the workload. */
  readonly simCpuMicrosPerUpdate: number;
  /** The rate the simulator produced updates at (it waits for the client's socket to drain). */
  readonly simUpdatesPerSecond: number;
  /** Whether every final book equals the simulator's true book (top `compareLevels`); null for the floor. */
  readonly booksEqual: boolean | null;
  readonly warmupSteps: number;
  /** When the suite repeated this run: every attempt's updates/s (unpaced) or p99 ms (paced). */
  readonly attempts?: readonly number[];
  readonly notes: Readonly<Record<string, string | number>>;
}

export interface RunOptions {
  readonly seed: number;
  /** Levels per side compared with the true book. */
  readonly compareLevels: number;
  readonly oursVia?: 'provider' | 'stream';
  /** Directory for V8 CPU profiles of the client process (--cpu-prof), if wanted. */
  readonly cpuProfileDir?: string;
  /**
   * Seconds of the paced feed before a paced run's measured part (default 0): lets the clients'
   * JIT finish tiering up at the paced rate first (diagnosis; published runs use 0).
   */
  readonly pacedWarmupSeconds?: number;
  /** Node/V8 flags for every client process alike (diagnosis; published runs use none). */
  readonly clientNodeFlags?: readonly string[];
  readonly log?: (line: string) => void;
}

const CLIENT_MAIN = fileURLToPath(new URL('./client/main.js', import.meta.url));
/** Fixed warm-up, so every client sees the same feed: the clients sync on these updates. */
const WARMUP_STEPS = 20;
const WARMUP_INTERVAL_MS = 25;
const READY_TIMEOUT_MS = 60_000;

function subscribed(sim: Simulator, workload: Workload, symbols: readonly string[]): boolean {
  const held = new Set<string>();
  for (const connection of sim.connections(workload.exchange)) {
    for (const name of connection.subscriptions) held.add(name);
  }
  return symbols.every((symbol) => held.has(bookSubscription(workload.exchange, symbol)));
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** Runs one client on one workload: fresh simulator (same seed), the client in its own process. */
export async function runOne(
  client: ClientKind,
  workload: Workload,
  options: RunOptions,
): Promise<RunResult> {
  const assets = benchAssets(workload.symbols);
  const symbols = assets.map((asset) => nativeSymbol(workload.exchange, asset.base));
  const warmupUpdates =
    workload.ratePerSymbol === undefined
      ? 0
      : Math.round((options.pacedWarmupSeconds ?? 0) * workload.ratePerSymbol);
  const sim = await startSimulator({
    autoStart: false,
    seed: options.seed,
    assets,
    sendTimeCapacity: Math.max(1024, workload.updatesPerSymbol + warmupUpdates + 2 * WARMUP_STEPS),
    // Burst mode queues a whole workload in the sockets' buffers before releasing it.
    binance: { maxBufferedBytes: 2 ** 31 },
    okx: { maxBufferedBytes: 2 ** 31 },
  });
  const endpoints = sim[workload.exchange];
  const config: ClientConfig = {
    client,
    exchange: workload.exchange,
    symbols,
    restUrl: endpoints.restUrl,
    wsUrl: endpoints.wsUrl,
    compareLevels: options.compareLevels,
    capacity: workload.updatesPerSymbol + 1000,
    ...(options.oursVia ? { oursVia: options.oursVia } : {}),
  };
  const execArgv = [
    ...(options.clientNodeFlags ?? []),
    ...(options.cpuProfileDir
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${options.cpuProfileDir}`,
          `--cpu-prof-name=${client}-${workload.name.replace(/[^\w]+/g, '-')}.cpuprofile`,
        ]
      : []),
  ];
  const process_ = new ClientProcess(
    fork(CLIENT_MAIN, [JSON.stringify(config)], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv,
    }),
  );
  try {
    const feed = new BenchFeed(sim.market, workload.exchange, symbols);
    if (!(await process_.next('loaded', READY_TIMEOUT_MS))) throw new Error('client did not load');
    await until(() => subscribed(sim, workload, symbols), READY_TIMEOUT_MS, `${client} to subscribe`);
    let warmupSteps = 0;
    for (; warmupSteps < WARMUP_STEPS; warmupSteps++) {
      feed.step(1);
      await sleep(WARMUP_INTERVAL_MS);
    }
    // A client not synced after the fixed warm-up gets more updates (its feed then differs: noted).
    const readyBy = Date.now() + READY_TIMEOUT_MS;
    while (!(await process_.next('ready', 250))) {
      if (Date.now() > readyBy) throw new Error(`${client} did not sync every symbol`);
      feed.step(1);
      warmupSteps++;
    }
    if (warmupUpdates > 0 && workload.ratePerSymbol !== undefined) {
      await feed.paced({ count: warmupUpdates, ratePerSymbol: workload.ratePerSymbol });
    }
    await sleep(200);
    process_.send({ type: 'start' });
    if (!(await process_.next('started', 10_000))) throw new Error('client did not acknowledge start');
    const simCpuAtStart = process.cpuUsage();
    const run =
      workload.ratePerSymbol === undefined
        ? await feed.burst(workload.updatesPerSymbol)
        : await feed.paced({ count: workload.updatesPerSymbol, ratePerSymbol: workload.ratePerSymbol });
    const simCpu = process.cpuUsage(simCpuAtStart);
    process_.send({ type: 'expect', finalIds: run.finalIds });
    // ccxt digests ~2k Upbit updates/s: allow 1 ms per update on top of a minute.
    const drainMs = 60_000 + run.updates + run.elapsedMs * 5;
    let report: ClientReport | undefined = await process_.next('report', drainMs);
    if (!report) {
      options.log?.(`  ${client} did not reach the final ids within ${Math.round(drainMs)} ms`);
      process_.send({ type: 'report' });
      report = await process_.next('report', 10_000);
      if (!report) throw new Error('client did not report');
    }
    const finished =
      completionTime(run.finalIds, report.applied) ?? (report.complete ? report.completedAt : undefined);
    const seconds = finished === undefined ? Number.NaN : (finished - Number(run.startedAt)) / 1e9;
    let equal: boolean | null = null;
    const notes: Record<string, string | number> = { ...report.notes };
    // Upbit clients choose their depth: ccxt subscribes to 15 units, ours to 30 (of 30 published).
    const minLevels = workload.exchange === 'upbit' ? 15 : options.compareLevels;
    if (report.books !== undefined) {
      equal = true;
      for (const symbol of symbols) {
        const local = report.books[symbol];
        const difference = local
          ? bookDifference(
              local,
              feed.trueBook(symbol, options.compareLevels),
              options.compareLevels,
              minLevels,
            )
          : 'no book';
        if (difference !== undefined) {
          equal = false;
          notes.bookDifference = `${symbol} ${difference}`;
          break;
        }
      }
    }
    return {
      workload: workload.name,
      exchange: workload.exchange,
      symbols: workload.symbols,
      paced: workload.ratePerSymbol !== undefined,
      client,
      implementation: String(report.notes.implementation ?? client),
      updates: run.updates,
      updatesPerSecond: run.updates / seconds,
      complete: finished !== undefined,
      latency: run.sent ? joinLatencies(run.sent, report.applied) : undefined,
      cpuMicrosPerUpdate: report.cpuMicros / run.updates,
      peakRssMb: report.peakRssKb / 1024,
      simCpuMicrosPerUpdate: (simCpu.user + simCpu.system) / run.updates,
      simUpdatesPerSecond: (run.updates * 1000) / run.elapsedMs,
      booksEqual: equal,
      warmupSteps,
      notes,
    };
  } finally {
    await process_.exit();
    await sim.stop();
  }
}
