import {
  bookDefect,
  type InstrumentId,
  type InstrumentState,
  isInstrumentId,
  type PriceLevel,
  type SnapshotSource,
} from '@arbitrage/core';

/** The wire format version every message carries in `v`. */
export const WIRE_VERSION = 1;

/**
 * One published book: the top levels of one instrument after one update at the feed. `feed` names
 * the publisher's run (new on every start) and `seq` counts this instrument's books within it from 1
 * without gaps, so a consumer sees a lost message and a restarted feed.
 */
export interface BookMessage {
  readonly v: typeof WIRE_VERSION;
  readonly feed: string;
  readonly instrument: InstrumentId;
  readonly nativeSymbol: string;
  readonly seq: number;
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
  /** The exchange's update id, where it has one. */
  readonly exchangeSeq?: number;
  readonly exchangeTime: number;
  /** When the feed received the frame that made this book (feed clock, ms since epoch). */
  readonly receivedAt: number;
  /** When the feed published it (feed clock). */
  readonly publishedAt: number;
  readonly source: SnapshotSource;
}

/**
 * The feed's state of one instrument: sent on every change and, as a heartbeat, every
 * `heartbeatMs`. `seq` is the last book published for it (0: none yet), so a consumer that holds
 * an older one knows it missed a book.
 */
export interface HealthMessage {
  readonly v: typeof WIRE_VERSION;
  readonly feed: string;
  readonly instrument: InstrumentId;
  readonly seq: number;
  readonly state: InstrumentState;
  readonly reason?: string;
  readonly publishedAt: number;
}

/** The answer to a snapshot request: the state and, once there is one, the latest book. */
export type SnapshotReply =
  | { readonly v: typeof WIRE_VERSION; readonly health: HealthMessage; readonly book?: BookMessage }
  | { readonly v: typeof WIRE_VERSION; readonly error: string };

export type Decoded<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string };

const STATES: ReadonlySet<string> = new Set(['connecting', 'live', 'stale', 'resyncing', 'down', 'failed']);
const MAX_LEVELS = 1_000;
const MAX_TEXT = 500;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encode(message: BookMessage | HealthMessage | SnapshotReply): Uint8Array {
  return encoder.encode(JSON.stringify(message));
}

class Invalid extends Error {}

function fail(why: string): never {
  throw new Invalid(why);
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT)
    fail(`${what} is not a short string`);
  return value;
}

function finite(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${what} is not a finite number`);
  return value;
}

function sequence(value: unknown, what: string, allowZero: boolean): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < (allowZero ? 0 : 1)) {
    fail(`${what} is not a ${allowZero ? 'non-negative' : 'positive'} integer`);
  }
  return value;
}

function levels(value: unknown, what: string): PriceLevel[] {
  if (!Array.isArray(value) || value.length > MAX_LEVELS)
    fail(`${what} is not a list of at most ${MAX_LEVELS} levels`);
  return value.map((level, index) => {
    if (!Array.isArray(level) || level.length !== 2) fail(`${what}[${index}] is not [price, size]`);
    return [finite(level[0], `${what}[${index}] price`), finite(level[1], `${what}[${index}] size`)] as const;
  });
}

function header(
  body: Record<string, unknown>,
  expected: InstrumentId | undefined,
): { feed: string; instrument: InstrumentId } {
  if (body.v !== WIRE_VERSION) fail(`version ${JSON.stringify(body.v)} is not ${WIRE_VERSION}`);
  const feed = text(body.feed, 'feed');
  const instrument = body.instrument;
  if (typeof instrument !== 'string' || !isInstrumentId(instrument))
    fail('instrument is not an instrument id');
  if (expected !== undefined && instrument !== expected)
    fail(`instrument ${instrument} on the subject of ${expected}`);
  return { feed, instrument };
}

function bookFrom(value: unknown, expected: InstrumentId | undefined): BookMessage {
  const body = record(value, 'book');
  const { feed, instrument } = header(body, expected);
  const bids = levels(body.bids, 'bids');
  const asks = levels(body.asks, 'asks');
  const defect = bookDefect({ bids, asks });
  if (defect !== undefined) fail(`book is ${defect.kind}: ${defect.detail}`);
  if (body.source !== 'ws' && body.source !== 'rest') fail('source is not "ws" or "rest"');
  const exchangeSeq = body.exchangeSeq === undefined ? undefined : finite(body.exchangeSeq, 'exchangeSeq');
  return {
    v: WIRE_VERSION,
    feed,
    instrument,
    nativeSymbol: text(body.nativeSymbol, 'nativeSymbol'),
    seq: sequence(body.seq, 'seq', false),
    bids,
    asks,
    ...(exchangeSeq === undefined ? {} : { exchangeSeq }),
    exchangeTime: finite(body.exchangeTime, 'exchangeTime'),
    receivedAt: finite(body.receivedAt, 'receivedAt'),
    publishedAt: finite(body.publishedAt, 'publishedAt'),
    source: body.source,
  };
}

function healthFrom(value: unknown, expected: InstrumentId | undefined): HealthMessage {
  const body = record(value, 'health');
  const { feed, instrument } = header(body, expected);
  if (typeof body.state !== 'string' || !STATES.has(body.state)) fail('state is not an instrument state');
  const reason = body.reason === undefined ? undefined : text(body.reason, 'reason');
  return {
    v: WIRE_VERSION,
    feed,
    instrument,
    seq: sequence(body.seq, 'seq', true),
    state: body.state as InstrumentState,
    ...(reason === undefined ? {} : { reason }),
    publishedAt: finite(body.publishedAt, 'publishedAt'),
  };
}

function replyFrom(value: unknown, expected: InstrumentId): SnapshotReply {
  const body = record(value, 'reply');
  if (body.v !== WIRE_VERSION) fail(`version ${JSON.stringify(body.v)} is not ${WIRE_VERSION}`);
  if (body.error !== undefined) return { v: WIRE_VERSION, error: text(body.error, 'error') };
  const health = healthFrom(body.health, expected);
  if (body.book === undefined) return { v: WIRE_VERSION, health };
  const book = bookFrom(body.book, expected);
  if (book.feed !== health.feed || book.seq !== health.seq) fail('book and health of the reply disagree');
  return { v: WIRE_VERSION, health, book };
}

function decodeWith<T>(data: Uint8Array, parse: (value: unknown) => T): Decoded<T> {
  try {
    return { ok: true, value: parse(JSON.parse(decoder.decode(data))) };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, error: error.message };
    return { ok: false, error: `not JSON: ${(error as Error).message}` };
  }
}

/** Parses and checks a book message; `expected` is the instrument its subject names. */
export function decodeBook(data: Uint8Array, expected?: InstrumentId): Decoded<BookMessage> {
  return decodeWith(data, (value) => bookFrom(value, expected));
}

export function decodeHealth(data: Uint8Array, expected?: InstrumentId): Decoded<HealthMessage> {
  return decodeWith(data, (value) => healthFrom(value, expected));
}

export function decodeSnapshotReply(data: Uint8Array, expected: InstrumentId): Decoded<SnapshotReply> {
  return decodeWith(data, (value) => replyFrom(value, expected));
}
