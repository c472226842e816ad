import type {
  ArbitrageError,
  InstrumentCounters,
  InstrumentStateChange,
  InstrumentStatus,
  LiveBook,
  OrderBookStream,
} from '@arbitrage/core';
import type { InstrumentTracker, TrackerStats } from './instrument-tracker.js';

/**
 * The reading half of an OrderBookStream, answered by the tracker. A plugin's stream extends it and
 * writes only `start()` and `stop()` and its wire protocol.
 */
export abstract class TrackedStream implements OrderBookStream {
  constructor(protected readonly tracker: InstrumentTracker) {}

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;

  onUpdate(listener: (book: LiveBook) => void): () => void {
    return this.tracker.onUpdate(listener);
  }

  onStateChange(listener: (change: InstrumentStateChange) => void): () => void {
    return this.tracker.onStateChange(listener);
  }

  onError(listener: (error: ArbitrageError) => void): () => void {
    return this.tracker.onError(listener);
  }

  book(symbol: string): LiveBook | undefined {
    return this.tracker.book(symbol);
  }

  status(symbol: string): InstrumentStatus | undefined {
    return this.tracker.status(symbol);
  }

  counters(symbol: string): Readonly<InstrumentCounters> | undefined {
    return this.tracker.counters(symbol);
  }

  /** How far `symbol`'s feed is behind the exchange, ms, clock offset taken out; undefined before a sample. */
  lagMs(symbol: string): number | undefined {
    return this.tracker.lagMs(symbol);
  }

  /** Listener callbacks that threw, and updates kept but not emitted because the feed lagged. */
  get trackerStats(): Readonly<TrackerStats> {
    return this.tracker.stats;
  }

  /** The measured clock offset (local − exchange, network floor included), ms. */
  get clockOffsetMs(): number | undefined {
    return this.tracker.clockOffsetMs;
  }
}
