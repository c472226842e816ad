import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { ConfigError, type ExchangeFactoryOptions, type ExchangeTransport } from '@arbitrage/core';
import { LEG_ROLES } from '@arbitrage/engine';
import {
  KNOWN_ASSETS,
  PREMIUM_PRESETS,
  parseFaultSpec,
  type Simulator,
  type SimulatorOptions,
} from '@arbitrage/simulator';
import type { RunnerConfig } from '../config/schema.js';
import { exchangesOf } from '../exchanges/registry.js';
import type { SimWorkerMessage } from './sim-worker.js';
import {
  SIMULATED_ENDPOINTS,
  SIMULATED_EXCHANGES,
  type SimulatedEndpoints,
  simulatedExchangeList,
} from './simulated-exchanges.js';

/** Where market data comes from: the embedded simulator on loopback, or the exchanges themselves. */
export interface MarketHandle {
  readonly kind: 'sim' | 'live';
  /** Shown in every status line and the summary. */
  readonly label: string;
  /** URL overrides per exchange (none for live: the plugins default to the real public endpoints). */
  endpointsFor(exchange: string): Pick<ExchangeFactoryOptions, 'restUrl' | 'wsUrl'>;
  /** The simulator when it runs in this thread (tests drive faults through it); undefined in a worker. */
  readonly simulator: Simulator | undefined;
  /** Market time per wall time: 1 on live data, the preset's scale on the simulator (demo: 60). */
  readonly timeScale: number;
  /** The simulator's premium preset; undefined on live data. */
  readonly preset: string | undefined;
  /** Replaces each exchange's network (replay); undefined: real sockets and HTTP. */
  transportFor?(exchange: string): ExchangeTransport | undefined;
  stop(): Promise<void>;
}

export const SIMULATED_LABEL = 'SIMULATED MARKET';
export const LIVE_LABEL = 'LIVE MARKET DATA (paper execution)';

/** Rejects exchanges and assets the simulator cannot serve and fault specs it cannot read, before anything starts. */
export function checkSimulatorConfig(config: RunnerConfig): void {
  if (config.market !== 'sim') return;
  for (const role of LEG_ROLES) {
    for (const exchange of exchangesOf(config.exchanges, role)) {
      if (!SIMULATED_EXCHANGES.includes(exchange)) {
        throw new ConfigError(
          `exchanges.${role}: the simulator serves ${simulatedExchangeList()} only, not "${exchange}"; use --market live`,
        );
      }
    }
  }
  const assets = config.assets === 'all' ? [] : config.assets;
  assets.forEach((entry, index) => {
    if (!Object.hasOwn(KNOWN_ASSETS, entry.asset)) {
      throw new ConfigError(
        `assets[${index}].asset: the simulator has no market for "${entry.asset}"; expected one of ${Object.keys(KNOWN_ASSETS).join(', ')} (or use --market live)`,
      );
    }
  });
  checkFaults(config);
}

function checkFaults(config: RunnerConfig): void {
  config.simulator.faults.forEach((spec, index) => {
    try {
      parseFaultSpec(spec);
    } catch (error) {
      throw new ConfigError(
        `simulator.faults[${index}]: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  });
}

export async function openMarket(config: RunnerConfig): Promise<MarketHandle> {
  if (config.market === 'live') {
    return {
      kind: 'live',
      label: LIVE_LABEL,
      endpointsFor: () => ({}),
      simulator: undefined,
      timeScale: 1,
      preset: undefined,
      stop: async () => {},
    };
  }
  checkSimulatorConfig(config);
  const preset = config.simulator.preset;
  const handle = await startSimulatorWorker({
    seed: config.simulator.seed,
    ...(config.assets === 'all'
      ? { universe: 'full' as const }
      : { assets: config.assets.map((entry) => entry.asset) }),
    faultSchedule: [...config.simulator.faults],
    premiumPreset: preset,
    // With source nats the books come from the feed: the simulator only answers the market lists
    // (and, for assets: all, the start prices), so its market never runs.
    ...(config.source === 'nats' ? { autoStart: false } : {}),
  });
  return { ...handle, preset, timeScale: PREMIUM_PRESETS[preset].timeScale };
}

/** Starts the simulator in a worker thread (see sim-worker.ts); stop() ends the thread. */
async function startSimulatorWorker(
  options: SimulatorOptions,
): Promise<Omit<MarketHandle, 'preset' | 'timeScale'>> {
  const worker = new Worker(new URL('./sim-worker.js', import.meta.url), { workerData: options });
  const [ready] = (await Promise.race([
    once(worker, 'message'),
    once(worker, 'error').then(([error]) => {
      throw new Error(
        `the simulator could not start: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    }),
  ])) as [SimWorkerMessage];
  if (ready.type !== 'ready') throw new Error(`the simulator worker sent ${ready.type} before ready`);
  let stopped: Promise<void> | undefined;
  return {
    kind: 'sim',
    label: SIMULATED_LABEL,
    endpointsFor: (exchange) => endpointsOf(exchange, ready.endpoints[exchange]),
    simulator: undefined,
    stop: () => {
      stopped ??= (async () => {
        const exited = once(worker, 'exit');
        worker.postMessage('stop');
        await exited;
      })();
      return stopped;
    },
  };
}

/** A MarketHandle over a simulator; with `stopWithRun: false` the caller (a test) keeps and stops it. */
export function simulatorMarket(
  simulator: Simulator,
  options: { readonly stopWithRun: boolean },
): MarketHandle {
  return {
    kind: 'sim',
    label: SIMULATED_LABEL,
    endpointsFor: (exchange) =>
      endpointsOf(
        exchange,
        Object.hasOwn(SIMULATED_ENDPOINTS, exchange) ? SIMULATED_ENDPOINTS[exchange]!(simulator) : undefined,
      ),
    simulator,
    timeScale: simulator.timeScale,
    preset: simulator.premiumPreset,
    stop: () => (options.stopWithRun ? simulator.stop() : Promise.resolve()),
  };
}

function endpointsOf(exchange: string, endpoints: SimulatedEndpoints | undefined): SimulatedEndpoints {
  if (!endpoints) {
    throw new ConfigError(`the simulator serves ${simulatedExchangeList()} only, not "${exchange}"`);
  }
  return endpoints;
}
