import type { ExchangePlugin, InstrumentCounters } from '@arbitrage/core';
import { formatInstrumentId } from '@arbitrage/core';
import { createBinanceExchange } from '@arbitrage/exchange-binance';
import { createOkxExchange } from '@arbitrage/exchange-okx';
import { createUpbitExchange } from '@arbitrage/exchange-upbit';
import { type ExchangeName, FaultProxy, type SimulatorOptions, startSimulator } from '@arbitrage/simulator';
import { sleep, waitFor } from '@arbitrage/test-support';
import { BookChecker } from './book-checker.js';
import { type CaseContext, counterDelta, countersOf, healthOf, statesSince } from './case-context.js';
import { MarketDriver } from './driver.js';
import { ErrorTap } from './error-tap.js';
import { expectFinalBooks } from './final-books.js';
import type { ProcessWatch } from './process-watch.js';
import { createProvider, FAILOVER, type ProviderKind, staleLimitMs } from './providers.js';
import type { Scenario } from './scenario.js';
import {
  ALLOWANCE_MS,
  BINANCE_STREAM,
  CHECK_DEPTH,
  OKX_STREAM,
  STEP_MS,
  TEST_SCALE,
  UPBIT_STREAM,
} from './timings.js';
import { TruthRecorder } from './truth.js';

export const SYMBOLS: Record<ExchangeName, readonly string[]> = {
  binance: ['BTC/USDT', 'ETH/USDT'],
  upbit: ['BTC/KRW', 'ETH/KRW'],
  okx: ['BTC/USDT', 'ETH/USDT'],
};

/** One row of the matrix. */
export interface CaseResult {
  readonly scenario: number;
  readonly scenarioId: string;
  readonly name: string;
  readonly exchange: ExchangeName;
  readonly provider: ProviderKind;
  readonly pass: boolean;
  readonly failures: string[];
  /** Documented known issue this case reproduces, if any. */
  readonly knownIssue?: string;
  /** Attempts it took (a timing failure on a loaded machine is retried up to twice). */
  readonly attempts?: number;
  /** Time from the end of the fault to every instrument live again (0: never left live). */
  readonly recoveryMs: number | null;
  readonly boundMs: number;
  readonly bound: string;
  readonly liveSnapshotsChecked: number;
  readonly verifiedAgainstTruth: number;
  readonly maxOutdatedMs: number;
  readonly violations: Record<string, number>;
  readonly errors: Record<string, number>;
  /** Errors that were not ArbitrageErrors (a classification bug): name and message. */
  readonly unclassified: string[];
  readonly counters: InstrumentCounters;
  readonly states: Record<string, string[]>;
  readonly metrics: Record<string, number | string>;
  readonly durationMs: number;
}

export function makePlugin(
  exchange: ExchangeName,
  restUrl: string,
  wsUrl: string,
  stream: Record<string, unknown>,
): ExchangePlugin {
  if (exchange === 'binance') {
    return createBinanceExchange({
      restUrl,
      wsUrl,
      restTimeoutMs: TEST_SCALE.restTimeoutMs,
      snapshots: { minIntervalMs: 0, maxConcurrent: 2, taskTimeoutMs: 1_500 },
      rest: { retryBaseMs: 10, retryCapMs: 50 },
      stream: { ...BINANCE_STREAM, ...stream },
    });
  }
  if (exchange === 'okx') {
    return createOkxExchange({
      restUrl,
      wsUrl,
      restTimeoutMs: TEST_SCALE.restTimeoutMs,
      snapshots: { minIntervalMs: 0, maxConcurrent: 2, taskTimeoutMs: 1_500 },
      // The REST provider polls every instrument every POLL_MS: more than OKX's 2 s budget allows.
      rest: { requestsPer2s: 100 },
      stream: { ...OKX_STREAM, ...stream },
    });
  }
  return createUpbitExchange({
    restUrl,
    wsUrl,
    restTimeoutMs: TEST_SCALE.restTimeoutMs,
    stream: { ...UPBIT_STREAM, ...stream },
  });
}

function simOptions(exchange: ExchangeName, scenario: Scenario): SimulatorOptions {
  const extra = scenario.sim?.(exchange) ?? {};
  return {
    autoStart: false,
    seed: 1 + scenario.number,
    assets: ['BTC', 'ETH'],
    sendTimeCapacity: 0,
    ...extra,
    binance: {
      depthLevels: 100,
      maxIncomingPerSecond: 50,
      ...extra.binance,
    },
    upbit: { idleTimeoutMs: 600, statusIntervalMs: 100, ...extra.upbit },
    okx: { depthLevels: 100, idleTimeoutMs: 600, restRequestsPer2s: 100, ...extra.okx },
  };
}

/**
 * Runs one scenario against one exchange and provider: simulator + proxies + plugin + provider +
 * checker, start, wait live, inject, lift, measure recovery, check the final book against the
 * truth, stop, and check nothing is left open.
 */
export async function runCase(
  scenario: Scenario,
  exchange: ExchangeName,
  kind: ProviderKind,
  watch: ProcessWatch,
): Promise<CaseResult> {
  const started = Date.now();
  const failures: string[] = [];
  const watchBefore = watch.total;
  const sim = await startSimulator(simOptions(exchange, scenario));
  const wsProxy = await FaultProxy.start(sim[exchange].wsUrl);
  const restProxy = await FaultProxy.start(sim[exchange].restUrl);
  const tap = new ErrorTap();
  const plugin = tap.wrap(
    makePlugin(exchange, restProxy.url('http'), wsProxy.url('ws'), scenario.stream?.(exchange) ?? {}),
  );
  const symbols = SYMBOLS[exchange];
  const ids = symbols.map((symbol) => formatInstrumentId(exchange, symbol));
  const natives = symbols.map((symbol) => plugin.symbols.toNative(symbol));
  const truth = new TruthRecorder(sim, exchange, natives, CHECK_DEPTH);
  const driver = new MarketDriver(sim, [truth], scenario.stepMs ?? STEP_MS);
  let provider: CaseContext['provider'] | undefined;
  let checker: BookChecker | undefined;
  let recoveryMs: number | null = null;
  let countersBefore: InstrumentCounters | undefined;
  let injectedAt = 0;
  let stoppedAt = Number.POSITIVE_INFINITY;
  const metrics: Record<string, number | string> = {};
  let ctx: CaseContext | undefined;
  try {
    await plugin.loadMarkets();
    provider = createProvider(kind, [plugin], [...ids]);
    checker = new BookChecker(provider, [truth], { depth: CHECK_DEPTH, staleLimitMs: staleLimitMs(kind) });
    checker.start();
    driver.start();
    await provider.start();
    ctx = {
      exchange,
      kind,
      sim,
      wsProxy,
      restProxy,
      plugin,
      provider,
      checker,
      driver,
      truth,
      tap,
      ids,
      symbols,
      natives,
      metrics,
    };
    const c = ctx;
    metrics.startMs = await waitFor(allLive(c), 5_000, () => `first live books: ${describeStates(c)}`);
    await sleep(100);
    countersBefore = countersOf(c);
    const window = await scenario.run(c);
    injectedAt = window.injectedAt;
    const liftedAt = window.liftedAt;
    const waitLimit = scenario.boundMs + ALLOWANCE_MS + 3_000;
    try {
      await waitFor(allLive(c), waitLimit, () => `live again after the fault: ${describeStates(c)}`);
      recoveryMs = measureRecovery(c, injectedAt, liftedAt);
      if (recoveryMs > scenario.boundMs + ALLOWANCE_MS) {
        failures.push(
          `recovered in ${recoveryMs} ms, bound ${scenario.boundMs} ms + ${ALLOWANCE_MS} ms allowance`,
        );
      }
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
    if (kind === 'failover') {
      // After the fault, the stream must take every instrument back from REST.
      try {
        await waitFor(
          () => healthOf(c).every((h) => h.source === 'ws' && h.state === 'live'),
          FAILOVER.switchBackAfterMs + ALLOWANCE_MS + 3_000,
          () => `switch back to ws: ${describeStates(c)}`,
        );
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
    failures.push(...(scenario.verify?.(c, { injectedAt, countersBefore }) ?? []));
    failures.push(...(await expectFinalBooks(c.provider, [c.truth], CHECK_DEPTH)));
  } catch (error) {
    failures.push(`case error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    stoppedAt = Date.now();
    driver.stop();
    checker?.stop();
    await provider
      ?.stop()
      .catch((error: unknown) => failures.push(`provider.stop() threw: ${String(error)}`));
    await plugin.close().catch((error: unknown) => failures.push(`plugin.close() threw: ${String(error)}`));
    try {
      await waitFor(
        () =>
          wsProxy.openConnections === 0 && restProxy.openConnections === 0 && sim.connections().length === 0,
        1_500,
        () =>
          `no connection after stop (ws ${wsProxy.openConnections}, rest ${restProxy.openConnections}, ` +
          `simulator ${sim.connections().length})`,
      );
    } catch (error) {
      failures.push(`leak: ${error instanceof Error ? error.message : String(error)}`);
    }
    await wsProxy.close();
    await restProxy.close();
    await sim.stop();
  }
  for (const violation of checker?.violations ?? []) {
    failures.push(`${violation.kind} ${violation.instrument}: ${violation.detail}`);
  }
  if (watch.total > watchBefore) {
    failures.push(
      `unhandled rejection/exception: ${[...watch.rejections, ...watch.exceptions].slice(-1)[0]?.slice(0, 300)}`,
    );
  }
  const checks = [...(checker?.instruments.values() ?? [])];
  const states: Record<string, string[]> = {};
  if (ctx) for (const id of ids) states[id] = statesSince(ctx, id, injectedAt || started);
  return {
    scenario: scenario.number,
    scenarioId: scenario.id,
    name: scenario.name,
    exchange,
    provider: kind,
    pass: failures.length === 0,
    failures: dedupe(failures),
    recoveryMs,
    boundMs: scenario.boundMs,
    bound: scenario.bound,
    liveSnapshotsChecked: checks.reduce((n, c) => n + c.liveSnapshots, 0),
    verifiedAgainstTruth: checks.reduce((n, c) => n + c.verified, 0),
    maxOutdatedMs: Math.max(0, ...checks.map((c) => c.maxOutdatedMs)),
    violations: checker?.summary() ?? {},
    errors: tap.codes(injectedAt, stoppedAt),
    unclassified: tap.errors
      .filter((e) => e.code === 'UNCLASSIFIED' && e.at < stoppedAt)
      .map((e) => `${e.via} ${e.name}: ${e.message}`.slice(0, 300)),
    counters: ctx && countersBefore ? counterDelta(countersOf(ctx), countersBefore) : emptyCounters(),
    states,
    metrics,
    durationMs: Date.now() - started,
  };
}

function emptyCounters(): InstrumentCounters {
  return { updates: 0, invalidMessages: 0, droppedStale: 0, gaps: 0, crossed: 0, resyncs: 0, staleEvents: 0 };
}

function dedupe(failures: string[]): string[] {
  const seen = new Map<string, number>();
  for (const failure of failures) {
    const key = failure.slice(0, 60);
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const out: string[] = [];
  const shown = new Set<string>();
  for (const failure of failures) {
    const key = failure.slice(0, 60);
    if (shown.has(key)) continue;
    shown.add(key);
    const count = seen.get(key) ?? 1;
    out.push(count > 1 ? `${failure} (×${count})` : failure);
  }
  return out;
}

function allLive(ctx: CaseContext): () => boolean {
  return () => {
    const health = healthOf(ctx);
    return health.length === ctx.ids.length && health.every((h) => h.state === 'live');
  };
}

export function describeStates(ctx: CaseContext): string {
  return healthOf(ctx)
    .map((h) => `${h.instrument}=${h.state}/${h.source}${h.reason ? ` (${h.reason})` : ''}`)
    .join(', ');
}

/**
 * Time from the end of the fault (or, if later, the moment an instrument left live) until it was
 * live again; the slowest instrument counts. 0 when no instrument left live.
 */
function measureRecovery(ctx: CaseContext, injectedAt: number, liftedAt: number): number {
  let worst = 0;
  for (const id of ctx.ids) {
    const transitions = ctx.checker.instrument(id).transitions.filter((t) => t.at >= injectedAt);
    let outageStart: number | undefined;
    let lastRecovery = 0;
    for (const t of transitions) {
      if (t.state !== 'live' && outageStart === undefined) outageStart = t.at;
      if (t.state === 'live' && outageStart !== undefined) {
        lastRecovery = Math.max(lastRecovery, t.at - Math.max(liftedAt, outageStart));
        outageStart = undefined;
      }
    }
    worst = Math.max(worst, lastRecovery);
  }
  return worst;
}

/**
 * Runs both exchanges once, alone, before the concurrent cases: the first REST call, parser and
 * socket paths of a cold process are JIT-compiled here instead of inside eight concurrent cases
 * whose deadlines are 200 ms.
 */
export async function warmUp(): Promise<void> {
  const sim = await startSimulator({ autoStart: false, assets: ['BTC'], sendTimeCapacity: 0 });
  const plugins = [
    makePlugin('binance', sim.binance.restUrl, sim.binance.wsUrl, {}),
    makePlugin('upbit', sim.upbit.restUrl, sim.upbit.wsUrl, {}),
  ];
  const timer = setInterval(() => sim.market.step(1), STEP_MS);
  try {
    await Promise.all(plugins.map((plugin) => plugin.loadMarkets()));
    const provider = createProvider('stream', plugins, ['binance:BTC/USDT', 'upbit:BTC/KRW']);
    await provider.start();
    await waitFor(
      () => provider.health().allLive,
      10_000,
      () => 'warm-up books live',
    );
    await provider.stop();
  } finally {
    clearInterval(timer);
    await Promise.all(plugins.map((plugin) => plugin.close()));
    await sim.stop();
  }
}
