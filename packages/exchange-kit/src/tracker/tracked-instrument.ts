import {
  createLiveBook,
  type ExchangeId,
  emptyInstrumentCounters,
  type InstrumentCounters,
  type InstrumentState,
  type InstrumentStatus,
  type LiveBookState,
} from '@arbitrage/core';

/** Whether the connection carrying an instrument is up: reported by the plugin. */
export type LinkState = 'connecting' | 'open' | 'down';

/**
 * Everything the tracker knows about one instrument. Plugins read it and write only `counters`
 * (invalid messages, gaps, drops) and the book itself, through `live.book`, right before they tell
 * the tracker what they did.
 */
export class TrackedInstrument {
  readonly live: LiveBookState;
  readonly counters: InstrumentCounters = emptyInstrumentCounters();
  /** What the stream reports: derived from the link, the book and the clock. */
  status: InstrumentStatus;
  link: LinkState = 'connecting';
  linkReason = 'not started';
  /** The plugin's word on the book: 'live' once it published one, or why it cannot. */
  bookState: InstrumentState = 'connecting';
  bookReason: string | undefined = 'waiting for the first book';
  /** Local time of the last publication, 0 before the first. */
  lastUpdateAt = 0;
  /** Lag of the last published update behind the exchange, clock offset taken out. */
  lagMs: number | undefined = undefined;
  /** That lag is over maxLagMs: the book is kept but not fresh, however often it updates. */
  lagging = false;
  /** A book was published at least once (before that, `book()` answers undefined). */
  published = false;

  constructor(
    readonly exchange: ExchangeId,
    readonly symbol: string,
    readonly nativeSymbol: string,
    now: number,
  ) {
    this.live = createLiveBook({ exchange, symbol, nativeSymbol });
    this.status = { state: 'connecting', reason: 'not started', since: now };
  }
}
