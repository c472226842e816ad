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
 * key by key. Positions are passed as plain integers (-1 = defer) so the hot loops stay in registers.
 */

export const SCAN_OK = 0;
export const SCAN_DEFER = 1;
export type ScanResult = typeof SCAN_OK | typeof SCAN_DEFER;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/** 10^0 .. 10^22: every one is exact in a double (Clinger's fast path). */
const POW10 = new Float64Array(Array.from({ length: 23 }, (_, i) => 10 ** i));

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

const MAX_NESTING = 16;

const bytes = (text: string): Uint8Array => Uint8Array.from(text, (char) => char.charCodeAt(0));

interface KeySet {
  readonly fields: ReadonlyArray<readonly [Uint8Array, number]>;
  readonly units: ReadonlyArray<readonly [Uint8Array, number]>;
  /** Upbit's own unit layout, as literal byte runs between the four numbers. */
  readonly layout: readonly [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  readonly layoutFields: readonly [number, number, number, number];
}

const DEFAULT_KEYS: KeySet = {
  fields: [
    [bytes('type'), F_TYPE],
    [bytes('code'), F_CODE],
    [bytes('timestamp'), F_TIMESTAMP],
    [bytes('orderbook_units'), F_UNITS],
    [bytes('stream_type'), F_STREAM_TYPE],
    [bytes('total_ask_size'), F_TOTAL_ASK],
    [bytes('total_bid_size'), F_TOTAL_BID],
    [bytes('level'), F_LEVEL],
  ],
  units: [
    [bytes('ask_price'), U_ASK_PRICE],
    [bytes('ask_size'), U_ASK_SIZE],
    [bytes('bid_price'), U_BID_PRICE],
    [bytes('bid_size'), U_BID_SIZE],
  ],
  layout: [bytes('{"ask_price":'), bytes(',"bid_price":'), bytes(',"ask_size":'), bytes(',"bid_size":')],
  layoutFields: [U_ASK_PRICE, U_BID_PRICE, U_ASK_SIZE, U_BID_SIZE],
};

const SIMPLE_KEYS: KeySet = {
  fields: [
    [bytes('ty'), F_TYPE],
    [bytes('cd'), F_CODE],
    [bytes('tms'), F_TIMESTAMP],
    [bytes('obu'), F_UNITS],
    [bytes('st'), F_STREAM_TYPE],
    [bytes('tas'), F_TOTAL_ASK],
    [bytes('tbs'), F_TOTAL_BID],
    [bytes('lv'), F_LEVEL],
  ],
  units: [
    [bytes('ap'), U_ASK_PRICE],
    [bytes('as'), U_ASK_SIZE],
    [bytes('bp'), U_BID_PRICE],
    [bytes('bs'), U_BID_SIZE],
  ],
  layout: [bytes('{"ap":'), bytes(',"bp":'), bytes(',"as":'), bytes(',"bs":')],
  layoutFields: [U_ASK_PRICE, U_BID_PRICE, U_ASK_SIZE, U_BID_SIZE],
};

const ORDERBOOK = bytes('orderbook');
const SNAPSHOT = bytes('SNAPSHOT');
const REALTIME = bytes('REALTIME');
const TRUE = bytes('true');
const FALSE = bytes('false');
const NULL = bytes('null');

/** Whether `buf[start..end)` holds exactly `literal`. */
function equals(buf: Uint8Array, start: number, end: number, literal: Uint8Array): boolean {
  const length = literal.length;
  if (end - start !== length) return false;
  for (let i = 0; i < length; i++) if (buf[start + i] !== literal[i]) return false;
  return true;
}

/** Position after `literal` when `buf` holds it at `pos`, else -1. */
function match(buf: Uint8Array, pos: number, literal: Uint8Array): number {
  const length = literal.length;
  if (pos + length > buf.length) return -1;
  for (let i = 0; i < length; i++) if (buf[pos + i] !== literal[i]) return -1;
  return pos + length;
}

function skipSpace(buf: Uint8Array, pos: number): number {
  let byte = buf[pos];
  while (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) byte = buf[++pos];
  return pos;
}

export class FrameScanner {
  /** Value of the last number read. */
  private number = 0;
  /** Bounds of the last string read (contents, without quotes). */
  private stringStart = 0;
  private stringEnd = 0;
  private depth = 0;

  /** Scans `buf` as one orderbook object into `frame` (units still unvalidated: call frame.finish()). */
  scan(buf: Buffer, frame: BookFrame): ScanResult {
    this.depth = 0;
    return this.scanBook(buf, frame) ? SCAN_OK : SCAN_DEFER;
  }

  private scanBook(buf: Buffer, frame: BookFrame): boolean {
    let pos = skipSpace(buf, 0);
    if (buf[pos] !== OPEN_BRACE) return false;
    pos = skipSpace(buf, pos + 1);
    let seen = 0;
    let format = 0;
    let timestamp = -1;
    frame.streamType = '';
    for (;;) {
      pos = this.readString(buf, pos);
      if (pos < 0) return false;
      const keyStart = this.stringStart;
      const keyEnd = this.stringEnd;
      pos = skipSpace(buf, pos);
      if (buf[pos] !== COLON) return false;
      pos = skipSpace(buf, pos + 1);
      let field = 0;
      for (const [key, flag] of DEFAULT_KEYS.fields) {
        if (equals(buf, keyStart, keyEnd, key)) {
          if (format === FORMAT_SIMPLE) return false;
          format = FORMAT_DEFAULT;
          field = flag;
          break;
        }
      }
      if (field === 0) {
        for (const [key, flag] of SIMPLE_KEYS.fields) {
          if (equals(buf, keyStart, keyEnd, key)) {
            if (format === FORMAT_DEFAULT) return false;
            format = FORMAT_SIMPLE;
            field = flag;
            break;
          }
        }
      }
      if ((seen & field) !== 0) return false;
      seen |= field;
      switch (field) {
        case F_TYPE:
          pos = this.readString(buf, pos);
          if (pos < 0 || !equals(buf, this.stringStart, this.stringEnd, ORDERBOOK)) return false;
          break;
        case F_CODE:
          pos = this.readString(buf, pos);
          if (pos < 0 || this.stringEnd === this.stringStart) return false;
          frame.code = codeWithoutSuffix(buf, this.stringStart, this.stringEnd);
          break;
        case F_STREAM_TYPE:
          pos = this.readString(buf, pos);
          if (pos < 0) return false;
          frame.streamType = equals(buf, this.stringStart, this.stringEnd, SNAPSHOT)
            ? 'SNAPSHOT'
            : equals(buf, this.stringStart, this.stringEnd, REALTIME)
              ? 'REALTIME'
              : buf.toString('latin1', this.stringStart, this.stringEnd);
          break;
        case F_TIMESTAMP:
          pos = this.readNumber(buf, pos);
          timestamp = this.number;
          break;
        case F_TOTAL_ASK:
        case F_TOTAL_BID:
        case F_LEVEL:
          pos = this.readNumber(buf, pos);
          break;
        case F_UNITS:
          pos = this.readUnits(buf, pos, frame, format === FORMAT_SIMPLE ? SIMPLE_KEYS : DEFAULT_KEYS);
          break;
        default:
          pos = this.skipValue(buf, pos);
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
    for (;;) {
      const unitStart = pos;
      // Upbit's layout: four literal runs, four numbers, a closing brace.
      let at = match(buf, pos, open);
      let askPrice = 0;
      let bidPrice = 0;
      let askSize = 0;
      let bidSize = 0;
      if (at >= 0) at = this.readNumber(buf, at);
      if (at >= 0) {
        askPrice = this.number;
        at = match(buf, at, second);
      }
      if (at >= 0) at = this.readNumber(buf, at);
      if (at >= 0) {
        bidPrice = this.number;
        at = match(buf, at, third);
      }
      if (at >= 0) at = this.readNumber(buf, at);
      if (at >= 0) {
        askSize = this.number;
        at = match(buf, at, fourth);
      }
      if (at >= 0) at = this.readNumber(buf, at);
      if (at >= 0 && buf[at] === CLOSE_BRACE) {
        bidSize = this.number;
        pos = at + 1;
        if (!frame.pushUnit(askPrice, askSize, bidPrice, bidSize)) return -1;
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
    let seen = 0;
    let askPrice = 0;
    let askSize = 0;
    let bidPrice = 0;
    let bidSize = 0;
    for (;;) {
      pos = this.readString(buf, pos);
      if (pos < 0) return -1;
      let field = 0;
      for (const [key, flag] of keys.units) {
        if (equals(buf, this.stringStart, this.stringEnd, key)) {
          field = flag;
          break;
        }
      }
      pos = skipSpace(buf, pos);
      if (buf[pos] !== COLON) return -1;
      pos = skipSpace(buf, pos + 1);
      if (field === 0) {
        pos = this.skipValue(buf, pos);
      } else {
        if ((seen & field) !== 0) return -1;
        seen |= field;
        pos = this.readNumber(buf, pos);
        if (field === U_ASK_PRICE) askPrice = this.number;
        else if (field === U_ASK_SIZE) askSize = this.number;
        else if (field === U_BID_PRICE) bidPrice = this.number;
        else bidSize = this.number;
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

  /** A string of printable ASCII without escapes; sets stringStart/stringEnd; returns the position after it. */
  private readString(buf: Buffer, pos: number): number {
    if (buf[pos] !== QUOTE) return -1;
    const start = pos + 1;
    const end = buf.length;
    for (let i = start; i < end; i++) {
      const byte = buf[i]!;
      if (byte === QUOTE) {
        this.stringStart = start;
        this.stringEnd = i;
        return i + 1;
      }
      if (byte === BACKSLASH || byte < 0x20 || byte > 0x7e) return -1;
    }
    return -1;
  }

  /**
   * A JSON number (strict grammar) into `number`. Up to 15 significant digits with a decimal exponent
   * within ±22 convert exactly with one multiplication or division (both operands are exact doubles,
   * so the result is the correctly rounded value JSON.parse gives); anything else goes to Number()
   * on the same characters.
   */
  private readNumber(buf: Buffer, pos: number): number {
    // Reads past the end give undefined, which compares false with every digit bound below.
    const start = pos;
    let byte = buf[pos]!;
    const negative = byte === MINUS;
    if (negative) byte = buf[++pos]!;
    let mantissa = 0;
    let digits = 0;
    if (byte === ZERO) {
      byte = buf[++pos]!;
      if (byte >= ZERO && byte <= NINE) return -1;
    } else if (byte > ZERO && byte <= NINE) {
      do {
        mantissa = mantissa * 10 + (byte - ZERO);
        digits++;
        byte = buf[++pos]!;
      } while (byte >= ZERO && byte <= NINE);
    } else {
      return -1;
    }
    let power = 0;
    if (byte === DOT) {
      const fractionStart = pos + 1;
      byte = buf[fractionStart]!;
      if (!(byte >= ZERO && byte <= NINE)) return -1;
      pos = fractionStart;
      do {
        mantissa = mantissa * 10 + (byte - ZERO);
        if (mantissa !== 0) digits++;
        byte = buf[++pos]!;
      } while (byte >= ZERO && byte <= NINE);
      power = fractionStart - pos;
    }
    if (byte === LOWER_E || byte === UPPER_E) {
      byte = buf[++pos]!;
      const exponentNegative = byte === MINUS;
      if (exponentNegative || byte === PLUS) byte = buf[++pos]!;
      if (!(byte >= ZERO && byte <= NINE)) return -1;
      let exponent = 0;
      do {
        if (exponent < 10_000) exponent = exponent * 10 + (byte - ZERO);
        byte = buf[++pos]!;
      } while (byte >= ZERO && byte <= NINE);
      power += exponentNegative ? -exponent : exponent;
    }
    if (digits <= 15 && power >= -22 && power <= 22) {
      const value = power >= 0 ? mantissa * POW10[power]! : mantissa / POW10[-power]!;
      this.number = negative ? -value : value;
    } else {
      this.number = Number(buf.toString('latin1', start, pos));
    }
    return pos;
  }

  /** Skips any JSON value (strings must be plain ASCII, see readString). */
  private skipValue(buf: Buffer, pos: number): number {
    const byte = buf[pos];
    if (byte === QUOTE) return this.readString(buf, pos);
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) return this.skipContainer(buf, pos, byte);
    if (byte === 0x74 /* t */) return match(buf, pos, TRUE);
    if (byte === 0x66 /* f */) return match(buf, pos, FALSE);
    if (byte === 0x6e /* n */) return match(buf, pos, NULL);
    return this.readNumber(buf, pos);
  }

  private skipContainer(buf: Buffer, pos: number, open: number): number {
    if (++this.depth > MAX_NESTING) return -1;
    const close = open === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
    pos = skipSpace(buf, pos + 1);
    if (buf[pos] === close) {
      this.depth--;
      return pos + 1;
    }
    for (;;) {
      if (open === OPEN_BRACE) {
        pos = this.readString(buf, pos);
        if (pos < 0) return -1;
        pos = skipSpace(buf, pos);
        if (buf[pos] !== COLON) return -1;
        pos = skipSpace(buf, pos + 1);
      }
      pos = this.skipValue(buf, pos);
      if (pos < 0) return -1;
      pos = skipSpace(buf, pos);
      const next = buf[pos];
      if (next === COMMA) {
        pos = skipSpace(buf, pos + 1);
        continue;
      }
      if (next !== close) return -1;
      this.depth--;
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
