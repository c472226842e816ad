import { InvalidMessageError } from '@arbitrage/core';
import * as kit from '@arbitrage/exchange-kit';
import { depthEventProblem } from './depth-validation.js';
import { type ControlReply, parseFrameSlow } from './frame-slow-path.js';
import { BINANCE_EXCHANGE_ID } from './symbols.js';

export type { ControlReply } from './frame-slow-path.js';

/**
 * What a frame turned out to be:
 * - 'depth': `parser.event` holds a diff (depthUpdate) or partial-depth event;
 * - 'control': `parser.control` holds a reply to a SUBSCRIBE-style request;
 * - 'shutdown': a serverShutdown event (`parser.shutdownTime`);
 * - 'invalid': `parser.error` says why; `parser.event.stream`/`.symbol` name the stream when known.
 */
export type FrameKind = 'depth' | 'control' | 'shutdown' | 'invalid';

// Module constants, not imported bindings: V8 reads an imported binding through its module cell on
// every use in the hot loops; a module constant it folds.
const { ascii, BookEvent, bytesEqual, canonicalId, InternedStrings, latin1, matchLiteral, scanLevels } = kit;
const { QUOTE, COMMA, COLON, ZERO, NINE, OPEN_BRACE, CLOSE_BRACE } = kit.charCodes;

const STREAM_PREFIX = ascii('{"stream":"');
const DATA_KEY = ascii(',"data":');
const DEPTH_UPDATE = ascii('"depthUpdate"');
const LAST_UPDATE_ID = ascii('lastUpdateId');
const BIDS = ascii('bids');
const ASKS = ascii('asks');

// Keys seen in an event, as bits.
const KEY_TYPE = 1;
const KEY_TIME = 2;
const KEY_SYMBOL = 4;
const KEY_FIRST = 8;
const KEY_FINAL = 16;
const KEY_B = 32;
const KEY_A = 64;
const KEY_LAST_UPDATE_ID = 128;
const KEY_BIDS = 256;
const KEY_ASKS = 512;
const DIFF_KEYS = KEY_TYPE | KEY_TIME | KEY_SYMBOL | KEY_FIRST | KEY_FINAL | KEY_B | KEY_A;
const PARTIAL_KEYS = KEY_LAST_UPDATE_ID | KEY_BIDS | KEY_ASKS;

const MAX_INTERNED = 4096;

/**
 * Parses Binance market-data frames: combined (`{"stream":…,"data":…}`) or raw, diff depth, partial
 * depth, control replies and serverShutdown.
 *
 * The fast path scans the frame's bytes once for exactly what a book needs (stream name, E, s, U,
 * u and the price/quantity strings, decoded straight into the reused BookEvent's typed arrays). It
 * accepts only the compact shape Binance sends; anything else (whitespace, escapes, unknown keys,
 * other event types, malformed input) goes to the JSON.parse path, which validates every field and
 * says what is wrong. Both paths fill the same BookEvent and run the same range checks, and a
 * property test holds them equal.
 */
export class BinanceFrameParser {
  readonly event = new BookEvent();
  control: ControlReply | undefined;
  shutdownTime = 0;
  error: InvalidMessageError | undefined;
  /** Frames taken by the fast path and by the JSON.parse path (diagnostics). */
  fastFrames = 0;
  slowFrames = 0;

  private pos = 0;
  private integer = 0;
  private id: number | bigint = 0;
  private readonly strings = new InternedStrings(MAX_INTERNED);

  parse(data: Uint8Array | string): FrameKind {
    this.control = undefined;
    this.error = undefined;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (this.fast(bytes)) {
      this.fastFrames++;
      return this.checked();
    }
    this.slowFrames++;
    const event = this.event;
    event.reset();
    const text =
      typeof data === 'string' ? data : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString();
    const result = parseFrameSlow(text, event);
    switch (result.kind) {
      case 'depth':
        return this.checked();
      case 'control':
        this.control = result.reply;
        return 'control';
      case 'shutdown':
        this.shutdownTime = result.eventTime;
        return 'shutdown';
      case 'invalid':
        event.stream = result.stream;
        event.symbol = result.symbol;
        return this.invalid(result.reason);
    }
  }

  private checked(): FrameKind {
    const problem = depthEventProblem(this.event);
    return problem === undefined ? 'depth' : this.invalid(problem);
  }

  private invalid(reason: string): FrameKind {
    const where = this.event.stream || this.event.symbol;
    this.error = new InvalidMessageError(
      BINANCE_EXCHANGE_ID,
      reason,
      `Binance sent an unusable message${where ? ` on ${where}` : ''}: ${reason}; it was not applied`,
    );
    return 'invalid';
  }

  // ---- fast path ---------------------------------------------------------------------------

  private fast(bytes: Uint8Array): boolean {
    const event = this.event;
    event.reset();
    if (matchLiteral(bytes, 0, STREAM_PREFIX) >= 0) {
      const name = this.string(bytes, STREAM_PREFIX.length - 1);
      if (name === undefined) return false;
      event.stream = name;
      const data = matchLiteral(bytes, this.pos, DATA_KEY);
      if (data < 0 || !this.fastEvent(bytes, data)) return false;
      return this.pos === bytes.length - 1 && bytes[this.pos] === CLOSE_BRACE;
    }
    return this.fastEvent(bytes, 0) && this.pos === bytes.length;
  }

  /** The interned plain string whose opening quote is at `quote`; sets pos past it. */
  private string(bytes: Uint8Array, quote: number): string | undefined {
    const text = this.strings.read(bytes, quote);
    if (text !== undefined) this.pos = this.strings.end;
    return text;
  }

  /** Reads unsigned integer digits at pos into `integer` (≤ 15 digits) or `id` (any length). */
  private digits(bytes: Uint8Array, asId: boolean): boolean {
    const start = this.pos;
    let at = start;
    let value = 0;
    while (at < bytes.length) {
      const c = bytes[at]!;
      if (c < ZERO || c > NINE) break;
      value = value * 10 + (c - ZERO);
      at++;
    }
    const length = at - start;
    if (length === 0 || length > 30) return false;
    this.pos = at;
    if (length <= 15) {
      this.integer = value;
      this.id = value;
      return true;
    }
    if (!asId) return false;
    this.id = canonicalId(BigInt(latin1(bytes, start, at)));
    return true;
  }

  private fastEvent(bytes: Uint8Array, start: number): boolean {
    const event = this.event;
    if (bytes[start] !== OPEN_BRACE) return false;
    let pos = start + 1;
    let seen = 0;
    for (;;) {
      if (bytes[pos] !== QUOTE) return false;
      const keyStart = pos + 1;
      pos = keyStart;
      while (pos < bytes.length && bytes[pos] !== QUOTE) pos++;
      const keyLength = pos - keyStart;
      if (bytes[pos + 1] !== COLON) return false;
      this.pos = pos + 2;
      let bit: number;
      if (keyLength === 1) {
        switch (bytes[keyStart]) {
          case 101: // e
            this.pos = matchLiteral(bytes, this.pos, DEPTH_UPDATE);
            if (this.pos < 0) return false;
            event.kind = 'delta';
            bit = KEY_TYPE;
            break;
          case 69: // E
            if (!this.digits(bytes, false)) return false;
            event.eventTime = this.integer;
            bit = KEY_TIME;
            break;
          case 115: {
            // s
            const symbol = this.string(bytes, this.pos);
            if (symbol === undefined) return false;
            event.symbol = symbol;
            bit = KEY_SYMBOL;
            break;
          }
          case 85: // U
            if (!this.digits(bytes, true)) return false;
            event.firstId = this.id;
            bit = KEY_FIRST;
            break;
          case 117: // u
            if (!this.digits(bytes, true)) return false;
            event.finalId = this.id;
            bit = KEY_FINAL;
            break;
          case 98: // b
            if (!this.levels(bytes, true)) return false;
            bit = KEY_B;
            break;
          case 97: // a
            if (!this.levels(bytes, false)) return false;
            bit = KEY_A;
            break;
          default:
            return false;
        }
      } else if (bytesEqual(bytes, keyStart, pos, LAST_UPDATE_ID)) {
        if (!this.digits(bytes, true)) return false;
        event.firstId = this.id;
        event.finalId = this.id;
        bit = KEY_LAST_UPDATE_ID;
      } else if (bytesEqual(bytes, keyStart, pos, BIDS)) {
        if (!this.levels(bytes, true)) return false;
        bit = KEY_BIDS;
      } else if (bytesEqual(bytes, keyStart, pos, ASKS)) {
        if (!this.levels(bytes, false)) return false;
        bit = KEY_ASKS;
      } else {
        return false;
      }
      if ((seen & bit) !== 0) return false;
      seen |= bit;
      pos = this.pos;
      const next = bytes[pos];
      if (next === COMMA) {
        pos++;
        continue;
      }
      if (next !== CLOSE_BRACE) return false;
      this.pos = pos + 1;
      if (seen === DIFF_KEYS) return true;
      if (seen === PARTIAL_KEYS) {
        event.kind = 'full';
        return true;
      }
      return false;
    }
  }

  /** Reads `[["price","qty"],…]` (exactly two strings a level) at pos into the event's typed arrays. */
  private levels(bytes: Uint8Array, bids: boolean): boolean {
    const end = scanLevels(bytes, this.pos, this.event, bids, Number.MAX_SAFE_INTEGER, false);
    if (end < 0) return false;
    this.pos = end;
    return true;
  }
}
