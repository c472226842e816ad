import {
  type ArbitrageError,
  emptyInstrumentCounters,
  type InstrumentState,
  ManualClock,
  OrderBook,
  type PriceLevel,
} from '@arbitrage/core';
import { DepthEvent } from '../depth-event.js';
import { DiffDepthSync, type DiffDepthSyncOptions } from '../depth-sync.js';
import type { DepthSnapshot } from '../rest-client.js';
import type { UpdateId } from '../update-id.js';

export interface PendingFetch {
  readonly signal: AbortSignal;
  resolve(snapshot: DepthSnapshot): void;
  reject(error: unknown): void;
}

/** A diff event; levels as [price, size] numbers. */
export function depthEvent(
  first: UpdateId,
  final: UpdateId,
  bids: readonly PriceLevel[] = [],
  asks: readonly PriceLevel[] = [],
  eventTime = 1_700_000_000_000,
): DepthEvent {
  const event = new DepthEvent(4);
  event.kind = 'diff';
  event.symbol = 'BTCUSDT';
  event.stream = 'btcusdt@depth@100ms';
  event.eventTime = eventTime;
  event.firstId = first;
  event.finalId = final;
  for (const [price, size] of bids) event.pushBid(price, size);
  for (const [price, size] of asks) event.pushAsk(price, size);
  return event;
}

export function snapshot(lastUpdateId: UpdateId, bids: PriceLevel[], asks: PriceLevel[]): DepthSnapshot {
  return { lastUpdateId, bids, asks, receivedAt: 0 };
}

/** Lets promise callbacks (snapshot results) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function syncHarness(options: Partial<DiffDepthSyncOptions> = {}) {
  const clock = new ManualClock();
  const book = new OrderBook();
  const counters = emptyInstrumentCounters();
  const states: Array<{ state: InstrumentState; reason: string | undefined }> = [];
  const applied: number[] = [];
  const errors: ArbitrageError[] = [];
  const fetches: PendingFetch[] = [];
  /** Everything the listener saw, in order, to check that states come before errors and updates. */
  const log: string[] = [];
  const sync = new DiffDepthSync({
    symbol: 'BTC/USDT',
    book,
    clock,
    counters,
    snapshotBackoff: { baseMs: 100, capMs: 1_000, jitter: 0 },
    listener: {
      state: (state, reason) => {
        states.push({ state, reason });
        log.push(`state:${state}`);
      },
      applied: (eventTime) => {
        applied.push(eventTime);
        log.push('applied');
      },
      error: (error) => {
        errors.push(error);
        log.push(`error:${error.code}`);
      },
    },
    fetchSnapshot: (signal) =>
      new Promise<DepthSnapshot>((resolve, reject) => {
        fetches.push({ signal, resolve, reject });
      }),
    ...options,
  });
  const lastState = () => states[states.length - 1]?.state;
  return { clock, book, counters, states, applied, errors, fetches, log, sync, lastState };
}
