import type { ExchangeName, FaultProxy, Simulator } from '@arbitrage/simulator';
import { sleep } from '@arbitrage/test-support';

/** What a fault should cause: a new connection (reconnect + resync of every symbol) or one symbol's resync. */
export type FaultEffect = 'reconnect' | 'resync' | 'none';

export interface SoakFault {
  readonly name: string;
  readonly effect: FaultEffect;
  readonly exchanges: readonly ExchangeName[];
  /** Injects, waits out the fault, lifts it. */
  run(target: SoakTarget): Promise<void>;
}

export interface SoakTarget {
  readonly sim: Simulator;
  readonly exchange: ExchangeName;
  readonly wsProxy: FaultProxy;
  /** A native symbol picked for this fault. */
  readonly native: string;
  /** Records the true books now (after a fault changed one outside a market step). */
  record(): void;
}

const ALL = ['binance', 'upbit', 'okx'] as const;
/** The exchanges whose books are kept by update id, where a lost or reordered update is a gap. */
const SEQUENCED = ['binance', 'okx'] as const;

/** The random faults of the soak (docs/faults.md 1–4, 7–9, 22, 26, 27 and the OKX ones, 40–42), each with the effect it must have. */
export const SOAK_FAULTS: readonly SoakFault[] = [
  {
    name: 'close 1000',
    effect: 'reconnect',
    exchanges: ALL,
    run: async (t) => void t.sim.faults.closeConnections(t.exchange, 1000),
  },
  { name: 'TCP reset', effect: 'reconnect', exchanges: ALL, run: async (t) => void t.wsProxy.reset() },
  {
    name: 'drop (1006)',
    effect: 'reconnect',
    exchanges: ALL,
    run: async (t) => void t.sim.faults.dropConnections(t.exchange),
  },
  {
    name: 'blackhole 600 ms',
    effect: 'reconnect',
    exchanges: ALL,
    run: async (t) => {
      t.wsProxy.mode = 'blackhole';
      await sleep(600);
      t.wsProxy.heal();
    },
  },
  {
    name: 'downstream blackhole 600 ms',
    effect: 'reconnect',
    exchanges: ALL,
    run: async (t) => {
      t.wsProxy.mode = 'downstream-blackhole';
      await sleep(600);
      t.wsProxy.heal();
    },
  },
  {
    name: 'sequence gap',
    effect: 'resync',
    exchanges: SEQUENCED,
    run: async (t) => void t.sim.faults.skipUpdates(t.exchange, t.native, 1),
  },
  {
    name: 'reorder',
    effect: 'resync',
    exchanges: SEQUENCED,
    run: async (t) => void t.sim.faults.reorderMessages(t.exchange, t.native),
  },
  {
    name: 'duplicate',
    effect: 'none',
    exchanges: ALL,
    run: async (t) => void t.sim.faults.duplicateMessages(t.exchange, t.native, 2),
  },
  {
    name: 'crossed delta',
    effect: 'resync',
    exchanges: ALL,
    run: async (t) => void t.sim.faults.crossBook(t.exchange, t.native),
  },
  {
    name: 'malformed frame',
    effect: 'resync',
    exchanges: SEQUENCED,
    run: async (t) => void t.sim.faults.sendMalformed(t.exchange, 'wrong-types', { symbol: t.native }),
  },
  {
    name: 'serverShutdown',
    effect: 'none',
    exchanges: ['binance'],
    run: async (t) => void t.sim.faults.serverShutdown({ closeAfterMs: 400 }),
  },
  {
    name: 'sequence reset',
    effect: 'none',
    exchanges: ['okx'],
    run: async (t) => void t.sim.faults.resetSequence('okx', t.native),
  },
  {
    name: 'snapshot push resent',
    effect: 'none',
    exchanges: ['okx'],
    run: async (t) => {
      t.sim.faults.resendSnapshot('okx', t.native);
      t.record();
    },
  },
  {
    name: 'service upgrade notice',
    effect: 'reconnect',
    exchanges: ['okx'],
    run: async (t) => void t.sim.faults.serviceNotice('okx', 400),
  },
];
