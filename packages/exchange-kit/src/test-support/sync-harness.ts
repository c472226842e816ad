import {
  type ArbitrageError,
  emptyInstrumentCounters,
  type InstrumentState,
  ManualClock,
  OrderBook,
  type PriceLevel,
} from '@arbitrage/core';
import { BookEvent } from '../book/book-event.js';
import { SequencedSync, type SequencedSyncOptions, type SyncSnapshot } from '../book/sequenced-sync.js';
import type { UpdateId } from '../book/update-id.js';

export interface PendingFetch {
  readonly signal: AbortSignal;
  resolve(snapshot: SyncSnapshot): void;
  reject(error: unknown): void;
}

/** A diff event; levels as [price, size] numbers. */
export function depthEvent(
  first: UpdateId,
  final: UpdateId,
  bids: readonly PriceLevel[] = [],
  asks: readonly PriceLevel[] = [],
  eventTime = 1_700_000_000_000,
): BookEvent {
  const event = new BookEvent(4);
  event.kind = 'delta';
  event.symbol = 'BTCUSDT';
  event.stream = 'btcusdt@depth@100ms';
  event.eventTime = eventTime;
  event.firstId = first;
  event.finalId = final;
  for (const [price, size] of bids) event.pushBid(price, size);
  for (const [price, size] of asks) event.pushAsk(price, size);
  return event;
}

export function snapshot(lastUpdateId: UpdateId, bids: PriceLevel[], asks: PriceLevel[]): SyncSnapshot {
  return { lastUpdateId, bids, asks };
}

/** Lets promise callbacks (snapshot results) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function syncHarness(options: Partial<SequencedSyncOptions> = {}) {
  const clock = new ManualClock();
  const book = new OrderBook();
  const counters = emptyInstrumentCounters();
  const states: Array<{ state: InstrumentState; reason: string | undefined }> = [];
  const applied: number[] = [];
  const errors: ArbitrageError[] = [];
  const fetches: PendingFetch[] = [];
  /** Everything the listener saw, in order, to check that states come before errors and updates. */
  const log: string[] = [];
  const sync = new SequencedSync({
    exchange: 'binance',
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
        // Going live is announced by `applied` alone: recorded here as the state it makes.
        if (states.at(-1)?.state !== 'live') states.push({ state: 'live', reason: undefined });
        applied.push(eventTime);
        log.push('applied');
      },
      error: (error) => {
        errors.push(error);
        log.push(`error:${error.code}`);
      },
    },
    fetchSnapshot: (signal) =>
      new Promise<SyncSnapshot>((resolve, reject) => {
        fetches.push({ signal, resolve, reject });
      }),
    ...options,
  });
  const lastState = () => states[states.length - 1]?.state;
  /** Feeds one event as if its frame arrived now. */
  const feed = (event: BookEvent) => sync.onEvent(event, clock.now());
  return { clock, book, counters, states, applied, errors, fetches, log, sync, lastState, feed };
}
