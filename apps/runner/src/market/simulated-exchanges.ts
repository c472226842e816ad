import type { Simulator } from '@arbitrage/simulator';

export interface SimulatedEndpoints {
  readonly restUrl: string;
  readonly wsUrl: string;
}

/**
 * The exchanges the embedded simulator speaks, and where a running simulator serves each: the only
 * place the simulator market names them. A venue the simulator learns is one line here.
 */
export const SIMULATED_ENDPOINTS: Readonly<Record<string, (simulator: Simulator) => SimulatedEndpoints>> = {
  upbit: (simulator) => simulator.upbit,
  binance: (simulator) => simulator.binance,
  okx: (simulator) => simulator.okx,
};

export const SIMULATED_EXCHANGES: readonly string[] = Object.keys(SIMULATED_ENDPOINTS);

/** Every simulated exchange's endpoints on a running simulator (plain data: it crosses the worker boundary). */
export function simulatedEndpoints(simulator: Simulator): Record<string, SimulatedEndpoints> {
  const endpoints: Record<string, SimulatedEndpoints> = {};
  for (const [name, of] of Object.entries(SIMULATED_ENDPOINTS)) {
    const { restUrl, wsUrl } = of(simulator);
    endpoints[name] = { restUrl, wsUrl };
  }
  return endpoints;
}

/** "upbit and binance", "upbit, binance and okx". */
export function simulatedExchangeList(): string {
  const names = [...SIMULATED_EXCHANGES];
  const last = names.pop();
  return names.length === 0 ? (last ?? '') : `${names.join(', ')} and ${last}`;
}
