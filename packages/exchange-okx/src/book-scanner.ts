import * as kit from '@arbitrage/exchange-kit';
import { MAX_LEVELS, MAX_PRICE, MAX_QUANTITY } from './book-levels.js';

// Module constants, not imported bindings: V8 reads an imported binding through its module cell on
// every use in the hot loops; a module constant it folds.
const { ascii, bytesEqual, levelsWithin, matchLiteral, readJsonNumber, scanLevels, skipJsonValue } = kit;
const { skipPlainString } = kit;
const { QUOTE, COMMA, COLON, ZERO, NINE, OPEN_BRACE, CLOSE_BRACE, CLOSE_BRACKET } = kit.charCodes;

const PREFIX = ascii('{"arg":{"channel":"books');
const INST_ID = ascii('","instId":');
const ACTION = ascii('},"action":"');
const SNAPSHOT = ascii('snapshot"');
const UPDATE = ascii('update"');
const DATA = ascii(',"data":[');
const DATA_AFTER_ARG = ascii('},"data":[');
const ASKS = ascii('asks');
const BIDS = ascii('bids');
const TS = ascii('ts');
const SEQ_ID = ascii('seqId');
const PREV_SEQ_ID = ascii('prevSeqId');
const FIVE = 0x35;

// Keys of the data object, as bits.
const KEY_ASKS = 1;
const KEY_BIDS = 2;
const KEY_TS = 4;
const KEY_SEQ = 8;
const KEY_PREV = 16;
const BOOKS_KEYS = KEY_ASKS | KEY_BIDS | KEY_TS | KEY_SEQ | KEY_PREV;
const BOOKS5_KEYS = KEY_ASKS | KEY_BIDS | KEY_TS | KEY_SEQ;
/** Digits of a `ts` read exactly by accumulation (OKX sends 13); longer ones: JSON.parse path. */
const MAX_TS_DIGITS = 15;

/** A book push the scanner read: its channel, instrument and action; levels and ids in the event. */
export interface ScannedBook {
  readonly kind: 'book';
  channel: 'books' | 'books5';
  instId: string;
  action: 'snapshot' | 'update' | 'full';
}

/**
 * The fast path for OKX `books` and `books5` pushes (docs/protocols/okx.md E4): one pass over the
 * frame's bytes with the kit's scanners, levels decoded straight into the reused BookEvent, no
 * JSON.parse. It takes only the compact shape OKX sends,
 * `{"arg":{"channel":…,"instId":…},"action":…,"data":[{…}]}`, the data object's keys in any order
 * (unknown ones skipped when the kit's scanner is sure of them). Anything else — whitespace,
 * escapes, duplicate keys, a value out of range or out of order — returns undefined and the
 * JSON.parse path decides and explains, so an invalid frame is classified by the same code
 * whichever path saw it first.
 */
export class OkxBookScanner {
  private pos = 0;
  private readonly strings = new kit.InternedStrings();
  private readonly number = new Float64Array(1);
  private readonly result: ScannedBook = { kind: 'book', channel: 'books', instId: '', action: 'update' };

  scan(bytes: Uint8Array, event: kit.BookEvent): ScannedBook | undefined {
    let pos = matchLiteral(bytes, 0, PREFIX);
    if (pos < 0) return undefined;
    const books5 = bytes[pos] === FIVE;
    pos = matchLiteral(bytes, books5 ? pos + 1 : pos, INST_ID);
    const instId = pos < 0 ? undefined : this.strings.read(bytes, pos);
    if (instId === undefined) return undefined;
    pos = this.strings.end;
    let action: ScannedBook['action'] = 'full';
    if (books5) {
      pos = matchLiteral(bytes, pos, DATA_AFTER_ARG);
    } else {
      pos = matchLiteral(bytes, pos, ACTION);
      if (pos < 0) return undefined;
      const update = matchLiteral(bytes, pos, UPDATE);
      action = update >= 0 ? 'update' : 'snapshot';
      pos = matchLiteral(bytes, update >= 0 ? update : matchLiteral(bytes, pos, SNAPSHOT), DATA);
    }
    if (pos < 0) return undefined;
    event.reset();
    const whole = action !== 'update';
    event.kind = whole ? 'full' : 'delta';
    event.symbol = instId;
    event.stream = books5 ? 'books5' : 'books';
    if (!this.item(bytes, pos, event, books5, action === 'snapshot')) return undefined;
    pos = this.pos;
    if (bytes[pos] !== CLOSE_BRACKET || bytes[pos + 1] !== CLOSE_BRACE || pos + 2 !== bytes.length)
      return undefined;
    if (!levelsWithin(event, MAX_PRICE, MAX_QUANTITY, whole)) return undefined;
    const result = this.result;
    result.channel = books5 ? 'books5' : 'books';
    result.instId = instId;
    result.action = action;
    return result;
  }

  /** The one object of `data`, at `start`; sets pos past it. */
  private item(
    bytes: Uint8Array,
    start: number,
    event: kit.BookEvent,
    books5: boolean,
    snapshot: boolean,
  ): boolean {
    if (bytes[start] !== OPEN_BRACE) return false;
    let pos = start + 1;
    let seen = 0;
    for (;;) {
      const keyEnd = skipPlainString(bytes, pos);
      if (keyEnd < 0 || bytes[keyEnd] !== COLON) return false;
      const key = pos + 1;
      const keyStop = keyEnd - 1;
      pos = keyEnd + 1;
      let bit = 0;
      if (bytesEqual(bytes, key, keyStop, ASKS) || bytesEqual(bytes, key, keyStop, BIDS)) {
        const bids = bytes[key] === 0x62; // b
        pos = scanLevels(bytes, pos, event, bids, MAX_LEVELS);
        bit = bids ? KEY_BIDS : KEY_ASKS;
      } else if (bytesEqual(bytes, key, keyStop, TS)) {
        pos = this.time(bytes, pos, event);
        bit = KEY_TS;
      } else if (bytesEqual(bytes, key, keyStop, SEQ_ID)) {
        pos = this.sequenceId(bytes, pos, false);
        event.finalId = this.number[0]!;
        bit = KEY_SEQ;
      } else if (!books5 && bytesEqual(bytes, key, keyStop, PREV_SEQ_ID)) {
        // A snapshot push carries -1 (E4).
        pos = this.sequenceId(bytes, pos, snapshot);
        event.firstId = this.number[0]!;
        bit = KEY_PREV;
      } else {
        // checksum (never read, E5), books5's instId, or a field OKX added: skipped if well formed.
        pos = skipJsonValue(bytes, pos, 3);
      }
      if (pos < 0 || (seen & bit) !== 0) return false;
      seen |= bit;
      const next = bytes[pos];
      if (next === COMMA) {
        pos++;
        continue;
      }
      if (next !== CLOSE_BRACE || seen !== (books5 ? BOOKS5_KEYS : BOOKS_KEYS)) return false;
      this.pos = pos + 1;
      if (books5) event.firstId = event.finalId;
      return true;
    }
  }

  /** A JSON number that is a safe integer ≥ 0 (or -1 when allowed), as the JSON.parse path checks. */
  private sequenceId(bytes: Uint8Array, pos: number, allowMinusOne: boolean): number {
    const end = readJsonNumber(bytes, pos, this.number, 0);
    const id = this.number[0]!;
    if (end < 0 || !Number.isSafeInteger(id) || !(id >= 0 || (allowMinusOne && id === -1))) return -1;
    return end;
  }

  /** `"ts"`: a string of 1–15 digits, not 0 (ms since epoch). */
  private time(bytes: Uint8Array, pos: number, event: kit.BookEvent): number {
    if (bytes[pos] !== QUOTE) return -1;
    const start = pos + 1;
    let at = start;
    let value = 0;
    for (let c = bytes[at]; c !== undefined && c >= ZERO && c <= NINE; c = bytes[++at])
      value = value * 10 + (c - ZERO);
    if (bytes[at] !== QUOTE || at === start || at - start > MAX_TS_DIGITS || value === 0) return -1;
    event.eventTime = value;
    return at + 1;
  }
}
