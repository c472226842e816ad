import type { BookSide } from '../model/book-side.js';
import type { OkxInstrumentBook } from '../model/okx-book.js';

/**
 * OKX public JSON, written by hand like the Binance frames (docs/protocols/okx.md E1, E3, E4):
 * levels are `[price, size, "0", orderCount]`, all strings; `checksum` is 0 (E5) unless the former
 * CRC32 is asked for.
 */

export type OkxChannel = 'books' | 'books5';

/** Levels OKX's `books` channel and REST book hold at most (E1). */
export const OKX_MAX_LEVELS = 400;

function level(book: OkxInstrumentBook, key: number, lots: number): string {
  return `["${book.formatPrice(key)}","${book.formatQty(lots)}","0","${book.orderCount(lots)}"]`;
}

/** Changed levels (size 0 = removed), in the order given. */
export function changeList(
  book: OkxInstrumentBook,
  keys: readonly number[],
  lots: readonly number[],
): string {
  if (keys.length === 0) return '[]';
  let out = '[';
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += ',';
    out += level(book, keys[i]!, lots[i]!);
  }
  return `${out}]`;
}

/** The best `count` levels of one side, best first. */
export function sideList(book: OkxInstrumentBook, side: BookSide, count: number): string {
  const n = Math.min(count, side.size);
  if (n === 0) return '[]';
  let out = '[';
  for (let i = 0; i < n; i++) {
    if (i > 0) out += ',';
    out += level(book, side.key(i)!, side.lots(i)!);
  }
  return `${out}]`;
}

function arg(channel: OkxChannel, instId: string): string {
  return `{"channel":"${channel}","instId":"${instId}"}`;
}

/** What `checksum` carries: 0 as OKX sends since June 2026 (E5), or the former CRC32. */
export type OkxChecksumMode = 'zero' | 'crc32';

/** A `books` push (E4); `prevSeqId` -1 on a snapshot; `checksum` of the book after it. */
export function booksFrame(
  book: OkxInstrumentBook,
  action: 'snapshot' | 'update',
  asks: string,
  bids: string,
  ts: number,
  prevSeqId: number,
  seqId: number,
  checksum: OkxChecksumMode,
): string {
  const sum = checksum === 'crc32' ? book.checksum() : 0;
  return `{"arg":${arg('books', book.instId)},"action":"${action}","data":[{"asks":${asks},"bids":${bids},"ts":"${ts}","checksum":${sum},"prevSeqId":${prevSeqId},"seqId":${seqId}}]}`;
}

/** The whole book (up to `depth` levels per side) as a `snapshot` push at the book's seqId. */
export function snapshotFrame(
  book: OkxInstrumentBook,
  depth: number,
  ts: number,
  checksum: OkxChecksumMode,
): string {
  const { bids, asks } = book.ladder;
  const n = Math.min(depth, OKX_MAX_LEVELS);
  return booksFrame(
    book,
    'snapshot',
    sideList(book, asks, n),
    sideList(book, bids, n),
    ts,
    -1,
    book.seqId,
    checksum,
  );
}

/** A `books5` push: the top 5 levels, whole, with `seqId` and `ts` and no `action` (E4). */
export function books5Frame(book: OkxInstrumentBook, ts: number): string {
  const { bids, asks } = book.ladder;
  return `{"arg":${arg('books5', book.instId)},"data":[{"asks":${sideList(book, asks, 5)},"bids":${sideList(
    book,
    bids,
    5,
  )},"instId":"${book.instId}","ts":"${ts}","seqId":${book.seqId}}]}`;
}

/** GET /api/v5/market/books: `sz` levels per side at the book's current seqId (E1). */
export function restBooksBody(book: OkxInstrumentBook, size: number, ts: number): string {
  const { bids, asks } = book.ladder;
  return `{"code":"0","msg":"","data":[{"asks":${sideList(book, asks, size)},"bids":${sideList(
    book,
    bids,
    size,
  )},"ts":"${ts}","seqId":${book.seqId}}]}`;
}

export function subscribeReply(
  event: 'subscribe' | 'unsubscribe',
  channel: string,
  instId: string,
  connId: string,
  id: string | undefined,
): string {
  const idPart = id === undefined ? '' : `"id":${JSON.stringify(id)},`;
  return `{${idPart}"event":"${event}","arg":{"channel":${JSON.stringify(channel)},"instId":${JSON.stringify(instId)}},"connId":"${connId}"}`;
}

/** `{"event":"error"}`: it names no `arg` (E3). */
export function errorEvent(code: string, msg: string, connId: string, id: string | undefined): string {
  return JSON.stringify({ ...(id === undefined ? {} : { id }), event: 'error', code, msg, connId });
}

/** The service-upgrade notice (E8). */
export function noticeEvent(connId: string): string {
  return JSON.stringify({
    event: 'notice',
    code: '64008',
    msg: 'The connection will soon be closed for a service upgrade. Please reconnect.',
    connId,
  });
}
