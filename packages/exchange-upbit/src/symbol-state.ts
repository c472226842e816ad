import {
  emptyInstrumentCounters,
  type InstrumentCounters,
  type InstrumentState,
  type InstrumentStatus,
  LiveBookState,
} from '@arbitrage/core';
import { UPBIT_EXCHANGE_ID } from './symbols.js';

/** Everything the stream knows about one market. */
export class SymbolEntry {
  readonly live: LiveBookState;
  readonly counters: InstrumentCounters = emptyInstrumentCounters();
  state: InstrumentState = 'connecting';
  reason: string | undefined = 'waiting for the first snapshot';
  since: number;
  /** Exchange time of the last applied frame; older frames are dropped. -1 before the first. */
  lastTimestamp = -1;
  /** Local time of the last applied frame (0 before the first). */
  lastAppliedAt = 0;
  /** Lag of the last REALTIME frame behind the exchange, clock offset taken out; undefined before one. */
  lagMs: number | undefined = undefined;
  /** That lag is over maxLagMs: the book is kept but not fresh, however often it updates. */
  lagging = false;
  /** Generation of the connection on which the last orderbook frame for this code arrived. */
  confirmedGeneration = 0;
  /** Crossed frames since the last good one. */
  crossedStrikes = 0;
  /** A resubscribe went out after the first crossed frame: another crossed frame means it persists. */
  resubscribedSinceCrossed = false;

  constructor(
    readonly symbol: string,
    readonly code: string,
    now: number,
  ) {
    this.live = new LiveBookState({ exchange: UPBIT_EXCHANGE_ID, symbol, nativeSymbol: code, source: 'ws' });
    this.since = now;
  }

  status(): InstrumentStatus {
    return this.reason === undefined
      ? { state: this.state, since: this.since }
      : { state: this.state, reason: this.reason, since: this.since };
  }
}
