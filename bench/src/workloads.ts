import type { ClientKind, ExchangeKind } from './protocol.js';

export interface Workload {
  /** e.g. 'binance 20×5k unpaced' */
  readonly name: string;
  readonly exchange: ExchangeKind;
  readonly symbols: number;
  /** Updates per symbol. */
  readonly updatesPerSymbol: number;
  /** Updates per second per symbol; undefined = unpaced (as fast as sockets drain). */
  readonly ratePerSymbol?: number;
}

export interface SuiteOptions {
  readonly smoke: boolean;
  /** Paced runs with the issue's full counts (1×50k = 500 s per client) instead of shorter ones. */
  readonly fullPaced: boolean;
  readonly exchanges: readonly ExchangeKind[];
  readonly clients: readonly ClientKind[];
  /** Only the unpaced or only the paced workloads (default both). */
  readonly only?: 'unpaced' | 'paced';
}

const short = (n: number): string => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));

function workload(
  exchange: ExchangeKind,
  symbols: number,
  updatesPerSymbol: number,
  rate?: number,
): Workload {
  return {
    name: `${exchange} ${symbols}×${short(updatesPerSymbol)} ${rate === undefined ? 'unpaced' : `paced ${rate}/s`}`,
    exchange,
    symbols,
    updatesPerSymbol,
    ...(rate === undefined ? {} : { ratePerSymbol: rate }),
  };
}

/**
 * The issue's workloads: per exchange 1 symbol × 50k and 20 symbols × 5k updates, unpaced
 * (throughput) and paced at 100 updates/s per symbol (latency). Paced runs are shortened by default
 * (1 × 3k = 30 s, 20 × 1k = 10 s per client) unless `fullPaced`; the smoke suite is tiny.
 */
export function workloads(options: SuiteOptions): Workload[] {
  const out: Workload[] = [];
  for (const exchange of options.exchanges) {
    if (options.smoke) {
      out.push(workload(exchange, 1, 300), workload(exchange, 2, 30, 100));
      continue;
    }
    if (options.only !== 'paced') out.push(workload(exchange, 1, 50_000), workload(exchange, 20, 5_000));
    if (options.only !== 'unpaced') {
      out.push(
        workload(exchange, 1, options.fullPaced ? 50_000 : 3_000, 100),
        workload(exchange, 20, options.fullPaced ? 5_000 : 1_000, 100),
      );
    }
  }
  return out;
}
