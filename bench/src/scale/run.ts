import { fork } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  type AssetSpec,
  fullUniverse,
  type LimitName,
  type SimulatorOptions,
  startSimulator,
} from '@arbitrage/simulator';
import type { ScaleClientConfig, ScaleClientResult } from './protocol.js';

const CLIENT_MAIN = fileURLToPath(new URL('./client-main.js', import.meta.url));

export interface ScaleOptions {
  readonly seed?: number;
  /** 'full': the simulator's real-size universe; 'smoke': a few books of each tier, for tests. */
  readonly universe?: 'full' | 'smoke';
  /** Steady-state window, ms (default 30 000). */
  readonly steadyMs?: number;
  /** Give up waiting for all books live after this long, ms (default 120 000). */
  readonly liveTimeoutMs?: number;
}

export interface ScaleResult extends ScaleClientResult {
  readonly date: string;
  readonly cpus: number;
  readonly loadAverage: readonly number[];
  readonly universe: 'full' | 'smoke';
  readonly seed: number;
  /** Exchange limits the client ran into, as the simulator counted them: {} = none. */
  readonly limitHits: Partial<Record<LimitName, number>>;
  readonly targets: {
    readonly allLiveMs: number;
    readonly peakRssMb: number;
    readonly loopDelayP99Ms: number;
  };
  readonly targetsMet: boolean;
}

export const SCALE_TARGETS = { allLiveMs: 60_000, peakRssMb: 150, loopDelayP99Ms: 5 } as const;

/**
 * A few books of the busy and middle tiers, listed on both sides or one: seconds to run. The quiet
 * tail is left to the full run (a quiet book can take its whole period to go live, see README).
 */
export function smokeUniverse(seed: number): AssetSpec[] {
  const all = fullUniverse(seed);
  const upbitOnly = all.filter((asset) => asset.listedOn?.binance === false).slice(0, 2);
  const binanceOnly = all.filter((asset) => asset.listedOn?.upbit === false).slice(0, 2);
  return [...all.slice(0, 3), ...all.slice(5, 7), ...all.slice(20, 22), ...upbitOnly, ...binanceOnly];
}

/**
 * Starts the simulator (every exchange limit enforced, Upbit's connection rate too), runs the
 * scale client in a child process over all its Upbit KRW and Binance USDT markets, and returns
 * what the client measured with the limits it hit.
 */
export async function runScale(options: ScaleOptions = {}): Promise<ScaleResult> {
  const seed = options.seed ?? 1;
  const universe = options.universe ?? 'full';
  const loadAverage = os.loadavg();
  const simOptions: SimulatorOptions = {
    seed,
    ...(universe === 'full' ? { universe: 'full' } : { assets: smokeUniverse(seed) }),
    // Upbit's limits are off by default in the simulator (tests run at test scale): on here.
    upbit: { maxConnectsPerSecond: 5, maxMessagesPerSecond: 5 },
    // OKX is not measured: it barely moves, so it takes no CPU from the run.
    okx: { updatesPerSecond: 0.001 },
  };
  const sim = await startSimulator(simOptions);
  try {
    const config: ScaleClientConfig = {
      upbit: { restUrl: sim.upbit.restUrl, wsUrl: sim.upbit.wsUrl },
      binance: { restUrl: sim.binance.restUrl, wsUrl: sim.binance.wsUrl },
      liveTimeoutMs: options.liveTimeoutMs ?? 120_000,
      steadyMs: options.steadyMs ?? 30_000,
    };
    const result = await runClient(config, config.liveTimeoutMs + config.steadyMs + 60_000);
    const targetsMet =
      result.allLiveMs <= SCALE_TARGETS.allLiveMs &&
      result.peakRssMb < SCALE_TARGETS.peakRssMb &&
      result.loopDelayP99Ms < SCALE_TARGETS.loopDelayP99Ms;
    return {
      date: new Date().toISOString(),
      cpus: os.cpus().length,
      loadAverage,
      universe,
      seed,
      ...result,
      limitHits: sim.limitHits(),
      targets: SCALE_TARGETS,
      targetsMet,
    };
  } finally {
    await sim.stop();
  }
}

function runClient(config: ScaleClientConfig, timeoutMs: number): Promise<ScaleClientResult> {
  return new Promise((resolve, reject) => {
    const child = fork(CLIENT_MAIN, [JSON.stringify(config)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: ScaleClientResult | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`scale client gave no result within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', (message) => {
      result = message as ScaleClientResult;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (result) resolve(result);
      else reject(new Error(`scale client exited with code ${code} and no result`));
    });
  });
}
