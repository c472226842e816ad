import {
  CrossedBookError,
  type InstrumentCounters,
  type InstrumentState,
  type OrderBook,
} from '@arbitrage/core';
import {
  type BookEvent,
  crossedLevels,
  replaceBook,
  type SyncListener,
  type UpdateId,
} from '@arbitrage/exchange-kit';
import { BINANCE_EXCHANGE_ID } from './symbols.js';

export interface PartialDepthBookOptions {
  readonly symbol: string;
  readonly book: OrderBook;
  readonly listener: SyncListener;
  readonly counters: InstrumentCounters;
}

/**
 * Book upkeep for partial depth (`<symbol>@depth5|10|20[@100ms]`): every message is a complete
 * top-N snapshot, validated (ordered sides) by the parser. A message older than the book
 * (lastUpdateId lower) is dropped and counted; a crossed one is rejected and reported, and the book
 * waits as 'resyncing' for the next good message. The same surface as the kit's SequencedSync.
 */
export class PartialDepthBook {
  private bookId: UpdateId = -1;
  private started = false;
  private everLive = false;
  private stateValue: InstrumentState = 'connecting';
  private reasonValue: string | undefined = 'waiting for the first depth message';
  private book: OrderBook;

  constructor(private readonly options: PartialDepthBookOptions) {
    this.book = options.book;
  }

  get state(): InstrumentState {
    return this.stateValue;
  }

  get reason(): string | undefined {
    return this.reasonValue;
  }

  get updateId(): UpdateId {
    return this.bookId;
  }

  get orderBook(): OrderBook {
    return this.book;
  }

  setBook(book: OrderBook): void {
    this.book = book;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.report(this.everLive ? 'resyncing' : 'connecting', 'waiting for the first depth message');
  }

  /** Partial depth needs no snapshot: nothing to ask for on the ack. */
  subscribed(): void {}

  reset(): void {
    this.started = false;
    this.bookId = -1;
    this.book.clear();
  }

  stop(): void {
    this.reset();
  }

  onEvent(event: BookEvent, receivedAt: number): void {
    if (!this.started) return;
    if (event.finalId < this.bookId) {
      this.options.counters.droppedStale++;
      return;
    }
    const crossed = crossedLevels(event);
    if (crossed !== undefined) {
      this.options.counters.crossed++;
      this.book.clear();
      this.report(
        this.everLive ? 'resyncing' : 'connecting',
        `crossed snapshot: best bid ${crossed.bid} >= best ask ${crossed.ask}`,
      );
      this.options.listener.error(
        new CrossedBookError(BINANCE_EXCHANGE_ID, this.options.symbol, crossed.bid, crossed.ask),
      );
      return;
    }
    replaceBook(this.book, event);
    this.bookId = event.finalId;
    this.options.counters.updates++;
    this.everLive = true;
    this.stateValue = 'live';
    this.reasonValue = undefined;
    this.options.listener.applied(event.eventTime, event.finalId, receivedAt);
  }

  onInvalidEvent(reason: string): void {
    if (!this.started) return;
    this.book.clear();
    this.options.counters.resyncs++;
    this.report(this.everLive ? 'resyncing' : 'connecting', `invalid depth message (${reason})`);
  }

  private report(state: InstrumentState, reason: string): void {
    if (state === this.stateValue && reason === this.reasonValue) return;
    this.stateValue = state;
    this.reasonValue = reason;
    this.options.listener.state(state, reason);
  }
}
