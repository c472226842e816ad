import * as kit from '@arbitrage/exchange-kit';
import type { BookFrame } from './book-frame.js';

/**
 * A byte scanner for the one shape that matters for speed: a single orderbook object, DEFAULT or
 * SIMPLE keys, as Upbit sends it. It reads the frame's bytes once, converts numbers without building
 * strings and writes units straight into a BookFrame.
 *
 * It is strict-or-defer: it accepts a frame only when it is certain that JSON.parse would read the
 * same values (complete, well-formed, ASCII-only strings without escapes, no duplicate or mixed-format
 * keys, nothing after the closing brace). Anything else returns DEFER and the caller takes the general
 * path (UTF-8 check + JSON.parse), which is the authority on what is malformed.
 *
 * Units are first matched against Upbit's own layout (`{"ask_price":…,"bid_price":…,"ask_size":…,
 * "bid_size":…}`, no whitespace) by comparing literal bytes; a unit laid out any other way is re-read
 * key by key. Positions are passed as plain integers (-1 = defer) so the hot loops stay in registers;
 * numbers land in a reused Float64Array.
 */

export const SCAN_OK = 0;
export const SCAN_DEFER = 1;
export type ScanResult = typeof SCAN_OK | typeof SCAN_DEFER;

// Module constants, not imported bindings: V8 reads an imported binding through its module cell on
// every use in the hot loops (measured 2-5% slower per frame); a module constant it folds.
const { ascii, bytesEqual, matchLiteral, readJsonNumber, skipJsonValue, skipPlainString, skipSpace } = kit;
const { COMMA, COLON, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET, DOT, ZERO, NINE } = kit.charCodes;

// Top-level fields (bit flags, so duplicates and mixed formats are detected).
const F_TYPE = 1;
const F_CODE = 2;
const F_TIMESTAMP = 4;
const F_UNITS = 8;
const F_STREAM_TYPE = 16;
const F_TOTAL_ASK = 32;
const F_TOTAL_BID = 64;
const F_LEVEL = 128;
const REQUIRED = F_TYPE | F_CODE | F_TIMESTAMP | F_UNITS;

const FORMAT_DEFAULT = 1;
const FORMAT_SIMPLE = 2;

const U_ASK_PRICE = 1;
const U_ASK_SIZE = 2;
const U_BID_PRICE = 4;
const U_BID_SIZE = 8;
const U_ALL = 15;

interface KeySet {
  readonly fields: ReadonlyArray<readonly [Uint8Array, number]>;
  readonly units: ReadonlyArray<readonly [Uint8Array, number]>;
  /** Upbit's own unit layout, as literal byte runs between the four numbers. */
  readonly layout: readonly [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
}

const DEFAULT_KEYS: KeySet = {
  fields: [
    [ascii('type'), F_TYPE],
    [ascii('code'), F_CODE],
    [ascii('timestamp'), F_TIMESTAMP],
    [ascii('orderbook_units'), F_UNITS],
    [ascii('stream_type'), F_STREAM_TYPE],
    [ascii('total_ask_size'), F_TOTAL_ASK],
    [ascii('total_bid_size'), F_TOTAL_BID],
    [ascii('level'), F_LEVEL],
  ],
  units: [
    [ascii('ask_price'), U_ASK_PRICE],
    [ascii('ask_size'), U_ASK_SIZE],
    [ascii('bid_price'), U_BID_PRICE],
    [ascii('bid_size'), U_BID_SIZE],
  ],
  layout: [ascii('{"ask_price":'), ascii(',"bid_price":'), ascii(',"ask_size":'), ascii(',"bid_size":')],
};

const SIMPLE_KEYS: KeySet = {
  fields: [
    [ascii('ty'), F_TYPE],
    [ascii('cd'), F_CODE],
    [ascii('tms'), F_TIMESTAMP],
    [ascii('obu'), F_UNITS],
    [ascii('st'), F_STREAM_TYPE],
    [ascii('tas'), F_TOTAL_ASK],
    [ascii('tbs'), F_TOTAL_BID],
    [ascii('lv'), F_LEVEL],
  ],
  units: [
    [ascii('ap'), U_ASK_PRICE],
    [ascii('as'), U_ASK_SIZE],
    [ascii('bp'), U_BID_PRICE],
    [ascii('bs'), U_BID_SIZE],
  ],
  layout: [ascii('{"ap":'), ascii(',"bp":'), ascii(',"as":'), ascii(',"bs":')],
};

const ORDERBOOK = ascii('orderbook');
const SNAPSHOT = ascii('SNAPSHOT');
const REALTIME = ascii('REALTIME');

// Slots of FrameScanner.numbers: a unit's four numbers in Upbit's layout order, then any one number.
const ASK_PRICE = 0;
const BID_PRICE = 1;
const ASK_SIZE = 2;
const BID_SIZE = 3;
const VALUE = 4;

export class FrameScanner {
  /** Numbers read by readJsonNumber, by slot (see ASK_PRICE..VALUE). */
  private readonly numbers = new Float64Array(5);

  /** Scans `buf` as one orderbook object into `frame` (units still unvalidated: call frame.finish()). */
  scan(buf: Buffer, frame: BookFrame): ScanResult {
    return this.scanBook(buf, frame) ? SCAN_OK : SCAN_DEFER;
  }

  private scanBook(buf: Buffer, frame: BookFrame): boolean {
    const numbers = this.numbers;
    let pos = skipSpace(buf, 0);
    if (buf[pos] !== OPEN_BRACE) return false;
    pos = skipSpace(buf, pos + 1);
    let seen = 0;
    let format = 0;
    let timestamp = -1;
    frame.streamType = '';
    for (;;) {
      const keyStart = pos + 1;
      pos = skipPlainString(buf, pos);
      if (pos < 0) return false;
      const keyEnd = pos - 1;
      pos = skipSpace(buf, pos);
      if (buf[pos] !== COLON) return false;
      pos = skipSpace(buf, pos + 1);
      let field = 0;
      for (const [key, flag] of DEFAULT_KEYS.fields) {
        if (bytesEqual(buf, keyStart, keyEnd, key)) {
          if (format === FORMAT_SIMPLE) return false;
          format = FORMAT_DEFAULT;
          field = flag;
          break;
        }
      }
      if (field === 0) {
        for (const [key, flag] of SIMPLE_KEYS.fields) {
          if (bytesEqual(buf, keyStart, keyEnd, key)) {
            if (format === FORMAT_DEFAULT) return false;
            format = FORMAT_SIMPLE;
            field = flag;
            break;
          }
        }
      }
      if ((seen & field) !== 0) return false;
      seen |= field;
      const valueStart = pos + 1;
      switch (field) {
        case F_TYPE:
          pos = skipPlainString(buf, pos);
          if (pos < 0 || !bytesEqual(buf, valueStart, pos - 1, ORDERBOOK)) return false;
          break;
        case F_CODE:
          pos = skipPlainString(buf, pos);
          if (pos < 0 || pos - 1 === valueStart) return false;
          frame.code = codeWithoutSuffix(buf, valueStart, pos - 1);
          break;
        case F_STREAM_TYPE:
          pos = skipPlainString(buf, pos);
          if (pos < 0) return false;
          frame.streamType = bytesEqual(buf, valueStart, pos - 1, SNAPSHOT)
            ? 'SNAPSHOT'
            : bytesEqual(buf, valueStart, pos - 1, REALTIME)
              ? 'REALTIME'
              : buf.toString('latin1', valueStart, pos - 1);
          break;
        case F_TIMESTAMP:
          pos = readJsonNumber(buf, pos, numbers, VALUE);
          timestamp = numbers[VALUE]!;
          break;
        case F_TOTAL_ASK:
        case F_TOTAL_BID:
        case F_LEVEL:
          pos = readJsonNumber(buf, pos, numbers, VALUE);
          break;
        case F_UNITS:
          pos = this.readUnits(buf, pos, frame, format === FORMAT_SIMPLE ? SIMPLE_KEYS : DEFAULT_KEYS);
          break;
        default:
          pos = skipJsonValue(buf, pos);
      }
      if (pos < 0) return false;
      pos = skipSpace(buf, pos);
      const next = buf[pos];
      if (next === COMMA) {
        pos = skipSpace(buf, pos + 1);
        continue;
      }
      if (next !== CLOSE_BRACE) return false;
      pos = skipSpace(buf, pos + 1);
      break;
    }
    frame.timestamp = timestamp;
    // Trailing bytes, a missing field or a timestamp that is not a non-negative integer: let
    // JSON.parse and the general validator give the precise verdict.
    return (
      pos === buf.length &&
      (seen & REQUIRED) === REQUIRED &&
      Number.isSafeInteger(timestamp) &&
      timestamp >= 0
    );
  }

  private readUnits(buf: Buffer, pos: number, frame: BookFrame, keys: KeySet): number {
    if (buf[pos] !== OPEN_BRACKET) return -1;
    frame.beginUnits();
    pos = skipSpace(buf, pos + 1);
    if (buf[pos] === CLOSE_BRACKET) return pos + 1;
    const [open, second, third, fourth] = keys.layout;
    const numbers = this.numbers;
    for (;;) {
      const unitStart = pos;
      // Upbit's layout: four literal runs, four numbers, a closing brace.
      let at = matchLiteral(buf, pos, open);
      if (at >= 0) at = readJsonNumber(buf, at, numbers, ASK_PRICE);
      if (at >= 0) at = matchLiteral(buf, at, second);
      if (at >= 0) at = readJsonNumber(buf, at, numbers, BID_PRICE);
      if (at >= 0) at = matchLiteral(buf, at, third);
      if (at >= 0) at = readJsonNumber(buf, at, numbers, ASK_SIZE);
      if (at >= 0) at = matchLiteral(buf, at, fourth);
      if (at >= 0) at = readJsonNumber(buf, at, numbers, BID_SIZE);
      if (at >= 0 && buf[at] === CLOSE_BRACE) {
        pos = at + 1;
        if (
          !frame.pushUnit(numbers[ASK_PRICE]!, numbers[ASK_SIZE]!, numbers[BID_PRICE]!, numbers[BID_SIZE]!)
        ) {
          return -1;
        }
      } else {
        pos = this.readUnitByKeys(buf, unitStart, frame, keys);
        if (pos < 0) return -1;
      }
      pos = skipSpace(buf, pos);
      const next = buf[pos];
      if (next === COMMA) {
        pos = skipSpace(buf, pos + 1);
        continue;
      }
      if (next !== CLOSE_BRACKET) return -1;
      return pos + 1;
    }
  }

  /** A unit in any key order, with whitespace or extra keys. */
  private readUnitByKeys(buf: Buffer, pos: number, frame: BookFrame, keys: KeySet): number {
    if (buf[pos] !== OPEN_BRACE) return -1;
    pos = skipSpace(buf, pos + 1);
    const numbers = this.numbers;
    let seen = 0;
    let askPrice = 0;
    let askSize = 0;
    let bidPrice = 0;
    let bidSize = 0;
    for (;;) {
      const keyStart = pos + 1;
      pos = skipPlainString(buf, pos);
      if (pos < 0) return -1;
      let field = 0;
      for (const [key, flag] of keys.units) {
        if (bytesEqual(buf, keyStart, pos - 1, key)) {
          field = flag;
          break;
        }
      }
      pos = skipSpace(buf, pos);
      if (buf[pos] !== COLON) return -1;
      pos = skipSpace(buf, pos + 1);
      if (field === 0) {
        pos = skipJsonValue(buf, pos);
      } else {
        if ((seen & field) !== 0) return -1;
        seen |= field;
        pos = readJsonNumber(buf, pos, numbers, VALUE);
        const value = numbers[VALUE]!;
        if (field === U_ASK_PRICE) askPrice = value;
        else if (field === U_ASK_SIZE) askSize = value;
        else if (field === U_BID_PRICE) bidPrice = value;
        else bidSize = value;
      }
      if (pos < 0) return -1;
      pos = skipSpace(buf, pos);
      const next = buf[pos];
      if (next === COMMA) {
        pos = skipSpace(buf, pos + 1);
        continue;
      }
      if (next !== CLOSE_BRACE) return -1;
      if (seen !== U_ALL || !frame.pushUnit(askPrice, askSize, bidPrice, bidSize)) return -1;
      return pos + 1;
    }
  }
}

/** 'KRW-BTC.15' -> 'KRW-BTC' (Upbit documents codes without the suffix; strip one anyway). */
function codeWithoutSuffix(buf: Buffer, start: number, end: number): string {
  for (let i = end - 1; i > start; i--) {
    const byte = buf[i]!;
    if (byte === DOT)
      return i + 1 < end ? buf.toString('latin1', start, i) : buf.toString('latin1', start, end);
    if (byte < ZERO || byte > NINE) break;
  }
  return buf.toString('latin1', start, end);
}
