import type { Market } from '../model/market.js';
import type { OkxInstrumentBook, OkxStep } from '../model/okx-book.js';
import { books5Frame, booksFrame, changeList, type OkxChannel, type OkxChecksumMode } from './frames.js';

/** What the hub needs from a connection. */
export interface OkxSubscriber {
  /** A `books` update (already serialised) for `book`. */
  deliverUpdate(book: OkxInstrumentBook, frame: string): void;
  /** A `books5` push. */
  deliverTop(book: OkxInstrumentBook, frame: string): void;
}

interface InstrumentFeed {
  readonly books: Set<OkxSubscriber>;
  readonly books5: Set<OkxSubscriber>;
}

/**
 * Fans OKX book pushes out to subscribed connections, serialising each push once per channel
 * whatever the number of subscribers.
 */
export class OkxFeedHub {
  private readonly feeds = new Map<string, InstrumentFeed>();

  constructor(
    private readonly market: Market,
    private readonly checksum: OkxChecksumMode,
  ) {
    market.onOkx((book, step) => this.onStep(book, step));
  }

  add(subscriber: OkxSubscriber, channel: OkxChannel, instId: string): void {
    let feed = this.feeds.get(instId);
    if (!feed) {
      feed = { books: new Set(), books5: new Set() };
      this.feeds.set(instId, feed);
    }
    feed[channel].add(subscriber);
  }

  remove(subscriber: OkxSubscriber, channel: OkxChannel, instId: string): void {
    const feed = this.feeds.get(instId);
    if (!feed) return;
    feed[channel].delete(subscriber);
    if (feed.books.size === 0 && feed.books5.size === 0) this.feeds.delete(instId);
  }

  private onStep(book: OkxInstrumentBook, step: OkxStep): void {
    const feed = this.feeds.get(book.instId);
    if (!feed) return;
    const ts = book.timestamp;
    if (feed.books.size > 0) {
      const c = step.changes;
      const frame = booksFrame(
        book,
        'update',
        changeList(book, c.askKeys, c.askLots),
        changeList(book, c.bidKeys, c.bidLots),
        ts,
        step.prevSeqId,
        step.seqId,
        this.checksum,
      );
      this.market.okxSendTimes.record(book.instId, step.seqId);
      for (const subscriber of feed.books) subscriber.deliverUpdate(book, frame);
    }
    if (feed.books5.size > 0 && step.changes.size > 0) {
      const frame = books5Frame(book, ts);
      for (const subscriber of feed.books5) subscriber.deliverTop(book, frame);
    }
  }
}
