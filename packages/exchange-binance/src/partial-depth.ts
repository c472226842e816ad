import {
  CrossedBookError,
  type InstrumentCounters,
  type InstrumentState,
  type OrderBook,
} from '@arbitrage/core';
import type { BookEvent, SyncListener, UpdateId } from '@arbitrage/exchange-kit';
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
    const bestBid = event.bidCount > 0 ? event.bidPrices[0]! : Number.NaN;
    const bestAsk = event.askCount > 0 ? event.askPrices[0]! : Number.NaN;
    if (bestBid >= bestAsk) {
      this.options.counters.crossed++;
      this.book.clear();
      this.report(
        this.everLive ? 'resyncing' : 'connecting',
        `crossed snapshot: best bid ${bestBid} >= best ask ${bestAsk}`,
      );
      this.options.listener.error(
        new CrossedBookError(BINANCE_EXCHANGE_ID, this.options.symbol, bestBid, bestAsk),
      );
      return;
    }
    const book = this.book;
    book.clear();
    // Worst level first: each insert lands at the busy end of the store, no shifting.
    for (let i = event.bidCount - 1; i >= 0; i--) book.set('bid', event.bidPrices[i]!, event.bidSizes[i]!);
    for (let i = event.askCount - 1; i >= 0; i--) book.set('ask', event.askPrices[i]!, event.askSizes[i]!);
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
