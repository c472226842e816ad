import type { BookMessage } from './messages.js';

/**
 * The fields of one book as the feed published or a consumer took it, logged at debug level with
 * `traceBooks`: a feed's and its consumers' logs can then be matched line by line on
 * (feed, instrument, seq) to show every consumer held exactly the feed's books.
 */
export function bookTraceFields(book: BookMessage): object {
  return {
    feed: book.feed,
    instrument: book.instrument,
    seq: book.seq,
    exchangeSeq: book.exchangeSeq,
    bids: book.bids,
    asks: book.asks,
  };
}
