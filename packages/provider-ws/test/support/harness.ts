import type { InstrumentHealth, InstrumentId, OrderBookSnapshot } from '@arbitrage/core';
import { type BinanceExchange, createBinanceExchange } from '@arbitrage/exchange-binance';
import { createUpbitExchange, type UpbitExchange } from '@arbitrage/exchange-upbit';
import { type Simulator, startSimulator } from '@arbitrage/simulator';

/**
 * Test-scale timings (docs/faults.md: backoff base 20 ms, cap 500 ms). Freshness is 300 ms rather
 * than F = 200 ms: Binance's @100ms stream sends one event per 100 ms, and on a loaded 2-core machine
 * a 200 ms window flaps live/stale, which would make switch-back holds restart at random.
 */
export const STALE_AFTER_MS = 300;

const UPBIT_STREAM = {
  maxLagMs: 1_000,
  keepalive: { intervalMs: 100, timeoutMs: 300 },
  subscribeTimeoutMs: 400,
  minResubscribeIntervalMs: 20,
  backoff: { baseMs: 20, capMs: 500 },
  minConnectIntervalMs: 0,
} as const;

const BINANCE_STREAM = {
  snapshotLimit: 1000,
  // Lag is the exchange packages' subject (their stream-lag tests); here a loaded machine's event-loop
  // delays must not flap a book stale and restart switch-back holds.
  maxLagMs: 1_000,
  connection: {
    backoff: { baseMs: 20, capMs: 500 },
    minConnectIntervalMs: 0,
    // Binance counts pings toward its 5 messages/s, so not the 100 ms of the test-scale P.
    heartbeat: { intervalMs: 400, timeoutMs: 1_200 },
    subscribeIntervalMs: 20,
    ackTimeoutMs: 1_000,
    subscribeBackoff: { baseMs: 50, capMs: 500 },
    closeTimeoutMs: 200,
  },
  sync: {
    snapshotBackoff: { baseMs: 20, capMs: 500 },
    maxSnapshotAttempts: 5,
    haltRetryBaseMs: 100,
    haltRetryCapMs: 500,
  },
} as const;

export interface Harness {
  readonly sim: Simulator;
  readonly upbit: UpbitExchange;
  readonly binance: BinanceExchange;
  stop(): Promise<void>;
}

/** The simulator (real-time ticker, 10 updates/s per book) and both plugins at test-scale timings. */
export async function startHarness(): Promise<Harness> {
  const sim = await startSimulator({
    seed: 5,
    sendTimeCapacity: 0,
    binance: { depthLevels: 100, updatesPerSecond: 20 },
    upbit: { updatesPerSecond: 20 },
  });
  const upbit = createUpbitExchange({
    restUrl: sim.upbit.restUrl,
    wsUrl: sim.upbit.wsUrl,
    restTimeoutMs: 500,
    stream: UPBIT_STREAM,
  });
  const binance = createBinanceExchange({
    restUrl: sim.binance.restUrl,
    wsUrl: sim.binance.wsUrl,
    restTimeoutMs: 500,
    rest: { retryBaseMs: 10, retryCapMs: 50 },
    snapshots: { minIntervalMs: 0, maxConcurrent: 2, taskTimeoutMs: 2_000 },
    stream: BINANCE_STREAM,
  });
  return {
    sim,
    upbit,
    binance,
    async stop() {
      await Promise.all([upbit.close(), binance.close()]);
      await sim.stop();
    },
  };
}

/** Polls `condition` every 5 ms; fails after `timeoutMs` (generous: the machine is shared and loaded). */
export async function waitFor(
  condition: () => boolean,
  timeoutMs: number,
  what: string | (() => string),
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`,
      );
    }
    await sleep(5);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Every health change a provider reports, in order. */
export class HealthLog {
  readonly changes: InstrumentHealth[] = [];

  constructor(provider: { onHealthChange(listener: (health: InstrumentHealth) => void): () => void }) {
    provider.onHealthChange((health) => this.changes.push(health));
  }

  /** 'state/source' per change of one instrument, consecutive repeats collapsed. */
  path(instrument: InstrumentId): string[] {
    const path: string[] = [];
    for (const change of this.changes) {
      if (change.instrument !== instrument) continue;
      const step = `${change.state}/${change.source}`;
      if (path[path.length - 1] !== step) path.push(step);
    }
    return path;
  }

  /** When `instrument` first reached `state/source` at or after `from` (local ms), if it did. */
  firstAt(instrument: InstrumentId, step: string, from = 0): number | undefined {
    return this.changes.find(
      (change) =>
        change.instrument === instrument &&
        `${change.state}/${change.source}` === step &&
        change.since >= from,
    )?.since;
  }
}

/** Asserts that `expected` appears in `actual` in order (other steps may come between). */
export function isSubsequence(actual: readonly string[], expected: readonly string[]): boolean {
  let index = 0;
  for (const step of actual) if (step === expected[index]) index++;
  return index === expected.length;
}

/** Records every snapshot handed to onSnapshot and checks none goes back in time per instrument. */
export class SnapshotLog {
  readonly byInstrument = new Map<string, OrderBookSnapshot[]>();
  regressions = 0;

  constructor(provider: { onSnapshot(listener: (snapshot: OrderBookSnapshot) => void): () => void }) {
    provider.onSnapshot((snapshot) => {
      const key = `${snapshot.exchange}:${snapshot.symbol}`;
      const list = this.byInstrument.get(key) ?? [];
      const last = list[list.length - 1];
      if (last !== undefined) {
        const older =
          last.sequence !== undefined && snapshot.sequence !== undefined
            ? snapshot.sequence < last.sequence
            : snapshot.exchangeTime < last.exchangeTime;
        if (older) this.regressions++;
      }
      list.push(snapshot);
      if (list.length > 2000) list.splice(0, 1000);
      this.byInstrument.set(key, list);
    });
  }

  count(instrument: string, source?: 'ws' | 'rest'): number {
    return (this.byInstrument.get(instrument) ?? []).filter(
      (s) => source === undefined || s.source === source,
    ).length;
  }
}

/** Sockets and servers the process holds, by kind (for before/after leak checks). */
export function activeHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/** Waits until no TCP socket or timer beyond `baseline` is left (closing is asynchronous). */
export async function expectNoLeaks(baseline: Record<string, number>): Promise<void> {
  await waitFor(
    () => {
      const now = activeHandles();
      return ['TCPSocketWrap', 'TCPServerWrap', 'Timeout'].every(
        (kind) => (now[kind] ?? 0) <= (baseline[kind] ?? 0),
      );
    },
    3_000,
    () => `handles back to ${JSON.stringify(baseline)}, now ${JSON.stringify(activeHandles())}`,
  );
}
