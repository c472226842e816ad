import type { InstrumentId } from './instrument.js';
import type { ExchangeId, SnapshotSource } from './types.js';

/**
 * The state of one instrument's book.
 * - connecting: no book yet (connecting, subscribing, waiting for the first snapshot);
 * - live: the book is complete, continuous and fresh;
 * - stale: no update within the freshness window (or lag too large); the last book is kept but not fresh;
 * - resyncing: the book is known to be wrong or incomplete (gap, crossed, reconnect) and is being rebuilt;
 * - down: the connection carrying it is down and reconnecting;
 * - failed: the subscription failed (no snapshot, exchange error, halted after repeated crossing).
 * Only 'live' books are ever served as fresh.
 */
export type InstrumentState = 'connecting' | 'live' | 'stale' | 'resyncing' | 'down' | 'failed';

export interface InstrumentCounters {
  /** Updates applied to the book. */
  updates: number;
  /** Messages rejected at the edge (malformed, impossible, unknown). */
  invalidMessages: number;
  /** Messages dropped because they were older than the book (duplicates, replays, old snapshots). */
  droppedStale: number;
  /** Sequence gaps and reorders detected. */
  gaps: number;
  /** Crossed books detected. */
  crossed: number;
  /** Resyncs started. */
  resyncs: number;
  /** Times the instrument went stale. */
  staleEvents: number;
}

export function emptyInstrumentCounters(): InstrumentCounters {
  return { updates: 0, invalidMessages: 0, droppedStale: 0, gaps: 0, crossed: 0, resyncs: 0, staleEvents: 0 };
}

/** What a stream or provider says about one instrument. */
export interface InstrumentStatus {
  readonly state: InstrumentState;
  /** Why the state is not 'live' (e.g. 'gap expected 101 got 103', 'no update for 2000 ms'). */
  readonly reason?: string;
  /** When the instrument entered this state (ms since epoch). */
  readonly since: number;
}

export interface InstrumentHealth extends InstrumentStatus {
  readonly instrument: InstrumentId;
  readonly exchange: ExchangeId;
  readonly symbol: string;
  readonly nativeSymbol: string;
  /** Where the book currently served comes from. */
  readonly source: SnapshotSource;
  /** Local time of the last applied update, if any. */
  readonly lastUpdateAt?: number;
  /** now - lastUpdateAt, at the moment health() was called. */
  readonly ageMs?: number;
  readonly counters: Readonly<InstrumentCounters>;
}

/** The names of an instrument, as a provider resolved them. */
export interface NamedInstrument {
  readonly id: InstrumentId;
  readonly exchange: ExchangeId;
  readonly symbol: string;
  readonly nativeSymbol: string;
}

/**
 * One instrument's health record as every provider reports it: its names, its status (a reason
 * only when there is one), the source of its book, and when its last update came (with the age
 * `now` gives it) once there was one.
 */
export function instrumentHealth(
  instrument: NamedInstrument,
  status: {
    readonly state: InstrumentState;
    readonly reason: string | undefined;
    readonly since: number;
    readonly source: SnapshotSource;
    readonly lastUpdateAt: number | undefined;
    readonly counters: Readonly<InstrumentCounters>;
  },
  now: number,
): InstrumentHealth {
  const { lastUpdateAt } = status;
  return {
    instrument: instrument.id,
    exchange: instrument.exchange,
    symbol: instrument.symbol,
    nativeSymbol: instrument.nativeSymbol,
    state: status.state,
    ...(status.reason === undefined ? {} : { reason: status.reason }),
    since: status.since,
    source: status.source,
    ...(lastUpdateAt === undefined ? {} : { lastUpdateAt, ageMs: Math.max(0, now - lastUpdateAt) }),
    counters: { ...status.counters },
  };
}

export interface ProviderHealth {
  /** When this report was made. */
  readonly at: number;
  /** True when every instrument is live. */
  readonly allLive: boolean;
  readonly instruments: Readonly<Record<InstrumentId, InstrumentHealth>>;
}
