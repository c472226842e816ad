import { type ExchangePlugin, formatInstrumentId, type InstrumentCounters } from '@arbitrage/core';
import { type ExchangeName, FaultProxy, startSimulator } from '@arbitrage/simulator';
import { seededRandom, sleep, waitFor } from '@arbitrage/test-support';
import { BookChecker } from './book-checker.js';
import { makePlugin } from './case-runner.js';
import { MarketDriver } from './driver.js';
import { expectFinalBooks } from './final-books.js';
import { activeResources, ProcessWatch, resourceGrowth } from './process-watch.js';
import { createProvider, type ProviderKind, staleLimitMs } from './providers.js';
import { type FaultEffect, SOAK_FAULTS } from './soak-faults.js';
import { formatSoakProgress } from './soak-progress.js';
import { CHECK_DEPTH, STEP_MS } from './timings.js';
import { TruthRecorder } from './truth.js';

export interface SoakOptions {
  readonly minutes: number;
  readonly seed: number;
  readonly provider: ProviderKind;
  /** A random fault starts every [min, max] ms. */
  readonly faultEveryMs: readonly [number, number];
  readonly log?: (line: string) => void;
  /** How often a progress line goes to `log` (default 10 s). */
  readonly progressEveryMs?: number;
}

/** Pass thresholds, stated once (RELIABILITY.md quotes them). */
export const SOAK_THRESHOLDS = {
  /** Heap (after GC) at the end of the fault phase minus the heap after warm-up. */
  heapGrowthMb: 8,
  /** Heap after stop minus heap before anything started (one-time code, JIT and module caches of first use included). */
  heapAfterStopMb: 6,
  /** Extra active handles of these kinds after stop: none allowed. */
  resourceKinds: ['TCPSocketWrap', 'TCPServerWrap', 'Timeout', 'Immediate'],
  /** Dials per reconnect-causing fault at most (connect timeouts during a blackhole redial). */
  dialsPerReconnectFault: 4,
  /** Binance resyncs per resync-causing fault at least. */
  resyncsPerResyncFault: 0.9,
} as const;

export interface SoakReport {
  pass: boolean;
  failures: string[];
  seed: number;
  provider: ProviderKind;
  durationMs: number;
  instruments: number;
  faults: Record<string, number>;
  perExchange: Record<
    string,
    {
      reconnectFaults: number;
      resyncFaults: number;
      dials: number;
      resyncs: number;
      gaps: number;
      crossed: number;
    }
  >;
  heapMb: { afterStart: number; baseline: number; end: number; afterStop: number; samples: number[] };
  resourceGrowthAfterStop: Record<string, number>;
  listenerCounts: { before: number; afterStop: number };
  collected: { registered: number; collected: number };
  liveSnapshotsChecked: number;
  verifiedAgainstTruth: number;
  violations: Record<string, number>;
  unhandled: number;
}

const ASSETS = ['BTC', 'ETH', 'XRP', 'SOL', 'DOGE'];

function gcHeapMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the soak needs node --expose-gc (run it through `pnpm soak` or dist/soak.js)');
  gc();
  gc();
  return Math.round((process.memoryUsage().heapUsed / 1_048_576) * 100) / 100;
}

function processListeners(): number {
  return ['unhandledRejection', 'uncaughtException', 'exit', 'SIGINT', 'SIGTERM', 'warning'].reduce(
    (n, event) => n + process.listenerCount(event),
    0,
  );
}

function sumCounters(
  provider: { health(): { instruments: Record<string, { exchange: string; counters: InstrumentCounters }> } },
  exchange: string,
): InstrumentCounters {
  const sum: InstrumentCounters = {
    updates: 0,
    invalidMessages: 0,
    droppedStale: 0,
    gaps: 0,
    crossed: 0,
    resyncs: 0,
    staleEvents: 0,
  };
  for (const health of Object.values(provider.health().instruments)) {
    if (health.exchange !== exchange) continue;
    for (const key of Object.keys(sum) as (keyof InstrumentCounters)[]) sum[key] += health.counters[key];
  }
  return sum;
}

/**
 * The soak (docs/faults.md 33/34): all markets on both exchanges behind fault proxies, a random fault
 * every few seconds, the checker watching every snapshot, heap sampled after GC. Runs in this
 * process (which must have --expose-gc).
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const failures: string[] = [];
  const listenersBefore = processListeners();
  const watch = new ProcessWatch().install();
  const resourcesBefore = activeResources();
  const heapBeforeStart = gcHeapMb();
  const random = seededRandom(options.seed);

  let collectedCount = 0;
  const registry = new FinalizationRegistry<string>(() => {
    collectedCount++;
  });
  const result = await soakPhase(options, random, started, failures, registry, log);
  const { registered } = result;
  // Old client objects must be collectable once stopped.
  for (let i = 0; i < 10 && collectedCount < registered; i++) {
    await sleep(100);
    gcHeapMb();
  }
  const heapAfterStop = gcHeapMb();
  const growth = resourceGrowth(resourcesBefore, activeResources());
  watch.uninstall();
  const listenersAfter = processListeners();
  const { perExchange, heapEnd, baseline } = result;

  for (const [exchange, stats] of Object.entries(perExchange)) {
    if (stats.dials < stats.reconnectFaults) {
      failures.push(
        `${exchange}: ${stats.dials} dials for ${stats.reconnectFaults} reconnect-causing faults`,
      );
    }
    const maxDials = stats.reconnectFaults * SOAK_THRESHOLDS.dialsPerReconnectFault + 2;
    if (stats.dials > maxDials)
      failures.push(
        `${exchange}: ${stats.dials} dials, more than ${maxDials} for ${stats.reconnectFaults} faults`,
      );
    // A gap can land inside a resync already under way (the hole is then inside the buffer and
    // that one resync covers it), so a tenth may be absorbed; the checker proves no gap went live.
    const minResyncs = Math.floor(stats.resyncFaults * SOAK_THRESHOLDS.resyncsPerResyncFault);
    if (exchange !== 'upbit' && stats.resyncs < minResyncs) {
      failures.push(`${exchange}: ${stats.resyncs} resyncs for ${stats.resyncFaults} resync-causing faults`);
    }
    const maxResyncs = stats.resyncFaults + stats.reconnectFaults * 5 + 2;
    if (stats.resyncs > maxResyncs) {
      failures.push(`${exchange}: ${stats.resyncs} resyncs, more than ${maxResyncs} the faults explain`);
    }
  }
  if (heapEnd - baseline > SOAK_THRESHOLDS.heapGrowthMb) {
    failures.push(
      `heap grew ${(heapEnd - baseline).toFixed(2)} MB during the faults (limit ${SOAK_THRESHOLDS.heapGrowthMb} MB)`,
    );
  }
  if (heapAfterStop - heapBeforeStart > SOAK_THRESHOLDS.heapAfterStopMb) {
    failures.push(
      `heap after stop is ${(heapAfterStop - heapBeforeStart).toFixed(2)} MB above the start (limit ${SOAK_THRESHOLDS.heapAfterStopMb} MB)`,
    );
  }
  for (const kind of SOAK_THRESHOLDS.resourceKinds) {
    if ((growth[kind] ?? 0) > 0) failures.push(`${growth[kind]} ${kind} handle(s) left after stop`);
  }
  if (listenersAfter !== listenersBefore)
    failures.push(`process listeners ${listenersBefore} → ${listenersAfter}`);
  if (collectedCount < registered)
    failures.push(`${registered - collectedCount} stopped client object(s) not collected`);
  for (const violation of result.violations) {
    failures.push(`${violation.kind} ${violation.instrument}: ${violation.detail}`);
  }
  if (watch.total > 0)
    failures.push(`unhandled: ${[...watch.rejections, ...watch.exceptions][0]?.slice(0, 300)}`);
  return {
    pass: failures.length === 0,
    failures,
    seed: options.seed,
    provider: options.provider,
    durationMs: Date.now() - started,
    instruments: result.instruments,
    faults: result.faults,
    perExchange,
    heapMb: {
      afterStart: result.heapAfterStart,
      baseline,
      end: heapEnd,
      afterStop: heapAfterStop,
      samples: result.samples,
    },
    resourceGrowthAfterStop: growth,
    listenerCounts: { before: listenersBefore, afterStop: listenersAfter },
    collected: { registered, collected: collectedCount },
    liveSnapshotsChecked: result.liveSnapshotsChecked,
    verifiedAgainstTruth: result.verifiedAgainstTruth,
    violations: result.summary,
    unhandled: watch.total,
  };
}

/** Everything that holds sockets and books lives in here, so that it is all unreachable afterwards. */
async function soakPhase(
  options: SoakOptions,
  random: () => number,
  started: number,
  failures: string[],
  registry: FinalizationRegistry<string>,
  log: (line: string) => void,
) {
  const totalMs = options.minutes * 60_000;
  const warmUpMs = Math.min(10_000, totalMs * 0.2);
  const quietMs = 5_000;
  const sim = await startSimulator({
    autoStart: false,
    seed: options.seed,
    assets: ASSETS,
    sendTimeCapacity: 0,
    binance: { depthLevels: 100, maxIncomingPerSecond: 50 },
    upbit: { idleTimeoutMs: 600, statusIntervalMs: 100 },
    okx: { depthLevels: 100, idleTimeoutMs: 600 },
  });
  const exchanges: ExchangeName[] = ['binance', 'upbit', 'okx'];
  const proxies = {} as Record<ExchangeName, { ws: FaultProxy; rest: FaultProxy }>;
  for (const exchange of exchanges) {
    proxies[exchange] = {
      ws: await FaultProxy.start(sim[exchange].wsUrl),
      rest: await FaultProxy.start(sim[exchange].restUrl),
    };
  }
  const plugins: ExchangePlugin[] = exchanges.map((exchange) =>
    makePlugin(exchange, proxies[exchange].rest.url('http'), proxies[exchange].ws.url('ws'), {}),
  );
  const natives: Record<ExchangeName, readonly string[]> = {
    binance: sim.market.binanceSymbols,
    upbit: sim.market.upbitCodes,
    okx: sim.market.okxInstIds,
  };
  const truths = exchanges.map(
    (exchange) => new TruthRecorder(sim, exchange, natives[exchange], CHECK_DEPTH, 400),
  );
  const driver = new MarketDriver(sim, truths, STEP_MS);
  const ids = exchanges.flatMap((exchange, i) =>
    natives[exchange].map((native) => formatInstrumentId(exchange, plugins[i]!.symbols.toCanonical(native))),
  );
  const provider = createProvider(options.provider, plugins, ids);
  const checker = new BookChecker(provider, truths, {
    depth: CHECK_DEPTH,
    staleLimitMs: staleLimitMs(options.provider),
  });
  const faults: Record<string, number> = {};
  const expected: Record<string, { reconnect: number; resync: number }> = {
    binance: { reconnect: 0, resync: 0 },
    upbit: { reconnect: 0, resync: 0 },
    okx: { reconnect: 0, resync: 0 },
  };
  const samples: number[] = [];
  let heapAfterStart = 0;
  let baseline = 0;
  let heapEnd = 0;
  let sampler: NodeJS.Timeout | undefined;
  const countersAtBaseline: Record<string, InstrumentCounters> = {};
  const dialsAtBaseline: Record<string, number> = {};
  const perExchange: SoakReport['perExchange'] = {};
  const progress = setInterval(() => {
    let snapshotsChecked = 0;
    for (const check of checker.instruments.values()) snapshotsChecked += check.liveSnapshots;
    log(
      formatSoakProgress({
        elapsedMs: Date.now() - started,
        totalMs,
        faults: Object.values(faults).reduce((sum, n) => sum + n, 0),
        snapshotsChecked,
        violations: checker.violations.length,
      }),
    );
  }, options.progressEveryMs ?? 10_000);
  try {
    await Promise.all(plugins.map((plugin) => plugin.loadMarkets()));
    checker.start();
    driver.start();
    await provider.start();
    const p = provider;
    await waitFor(
      () => p.health().allLive,
      10_000,
      () => 'every book live after start',
    );
    heapAfterStart = gcHeapMb();
    log(`all ${ids.length} books live; warming up ${warmUpMs} ms`);
    await sleep(warmUpMs);
    baseline = gcHeapMb();
    samples.push(baseline);
    sampler = setInterval(() => {
      samples.push(gcHeapMb());
      checker.pauseStaleness(300);
    }, 5_000);
    for (const exchange of exchanges) {
      countersAtBaseline[exchange] = sumCounters(p, exchange);
      dialsAtBaseline[exchange] = proxies[exchange as ExchangeName].ws.stats.accepted;
    }
    const faultPhaseEnd = started + totalMs - quietMs;
    while (Date.now() < faultPhaseEnd) {
      const [min, max] = options.faultEveryMs;
      await sleep(min + random() * (max - min));
      if (Date.now() >= faultPhaseEnd) break;
      // Each fault hits a healthy system, so that its effect can be counted.
      await waitFor(
        () => p.health().allLive,
        3_000,
        () => 'every book live before the next fault',
      ).catch(() => 0);
      const exchange = exchanges[Math.floor(random() * exchanges.length)]!;
      const choices = SOAK_FAULTS.filter((fault) => fault.exchanges.includes(exchange));
      const fault = choices[Math.floor(random() * choices.length)]!;
      const list = natives[exchange];
      const native = list[Math.floor(random() * list.length)]!;
      const effect: FaultEffect = fault.effect;
      if (effect !== 'none') expected[exchange]![effect]++;
      if (fault.name === 'serverShutdown') expected[exchange]!.reconnect++;
      faults[`${exchange} ${fault.name}`] = (faults[`${exchange} ${fault.name}`] ?? 0) + 1;
      log(`${Math.round((Date.now() - started) / 1000)} s: ${exchange} ${fault.name} (${native})`);
      await fault.run({
        sim,
        exchange,
        wsProxy: proxies[exchange].ws,
        native,
        record: () => driver.record(),
      });
    }
    for (const exchange of exchanges) proxies[exchange].ws.heal();
    await waitFor(
      () => p.health().allLive,
      5_000,
      () => 'every book live after the last fault',
    ).catch((error: unknown) => failures.push(String(error)));
    await sleep(500);
    heapEnd = gcHeapMb();
    for (const exchange of exchanges) {
      const delta = sumCounters(p, exchange);
      const before = countersAtBaseline[exchange]!;
      perExchange[exchange] = {
        reconnectFaults: expected[exchange]!.reconnect,
        resyncFaults: expected[exchange]!.resync,
        dials: proxies[exchange as ExchangeName].ws.stats.accepted - dialsAtBaseline[exchange]!,
        resyncs: delta.resyncs - before.resyncs,
        gaps: delta.gaps - before.gaps,
        crossed: delta.crossed - before.crossed,
      };
    }
    failures.push(...(await expectFinalBooks(p, truths, CHECK_DEPTH)));
  } catch (error) {
    failures.push(`soak error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    clearInterval(progress);
    if (sampler) clearInterval(sampler);
    driver.stop();
    checker.stop();
    await provider.stop().catch((error: unknown) => failures.push(`provider.stop(): ${String(error)}`));
    await Promise.all(plugins.map((plugin) => plugin.close()));
    for (const exchange of exchanges) {
      await proxies[exchange].ws.close();
      await proxies[exchange].rest.close();
    }
    await sim.stop();
  }

  registry.register(provider, 'provider');
  for (const plugin of plugins) registry.register(plugin, plugin.id);
  const checks = [...checker.instruments.values()];
  return {
    registered: 1 + plugins.length,
    instruments: ids.length,
    faults,
    perExchange,
    heapAfterStart,
    baseline,
    heapEnd,
    samples,
    violations: checker.violations.slice(0, 20),
    summary: checker.summary(),
    liveSnapshotsChecked: checks.reduce((n, c) => n + c.liveSnapshots, 0),
    verifiedAgainstTruth: checks.reduce((n, c) => n + c.verified, 0),
  };
}
