import { isUtf8 } from 'node:buffer';
import { InvalidMessageError } from '@arbitrage/core';
import { BookFrame, type BookRejection } from './book-frame.js';
import { FrameScanner, SCAN_OK } from './frame-scanner.js';
import { UPBIT_EXCHANGE_ID } from './symbols.js';

/** Why a message was rejected at the edge (InvalidMessageError.reason). */
export type MessageRejection =
  | BookRejection
  | 'invalid-utf8'
  | 'malformed-json'
  | 'not-an-object'
  | 'unknown-type'
  | 'unknown-status'
  | 'missing-field'
  | 'wrong-type';

/** Receives what one frame contained. Called synchronously, once per message in the frame. */
export interface UpbitFrameSink {
  /**
   * A validated order book, with the local time its frame arrived. `frame` is reused for the next
   * message: copy what you keep.
   */
  onBook(frame: BookFrame, receivedAt: number): void;
  /** `{"status":"UP"}`, the reply to a text PING. Not market data. */
  onStatus(): void;
  /** `{"error":{"name":…,"message":…}}`; the name may be numeric on REST. */
  onExchangeError(name: string, message: string): void;
  /** A well-formed message that is not an order book (ticker, trade, candle, LIST_SUBSCRIPTIONS reply). */
  onOther(kind: string): void;
  /** Rejected at the edge, never applied. `code` is set when the message named its market. */
  onInvalid(error: InvalidMessageError, code: string | undefined): void;
}

const NON_BOOK_TYPES = new Set(['ticker', 'trade', 'myOrder', 'myAsset', 'myTrade']);

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(reason: MessageRejection, message: string, cause?: unknown): InvalidMessageError {
  return new InvalidMessageError(
    UPBIT_EXCHANGE_ID,
    reason,
    `upbit message rejected (${reason}): ${message}`,
    cause === undefined ? undefined : { cause },
  );
}

function stripSuffix(code: string): string {
  const dot = code.lastIndexOf('.');
  return dot > 0 && /^\d+$/.test(code.slice(dot + 1)) ? code.slice(0, dot) : code;
}

/**
 * Turns Upbit WebSocket frames (binary or text, DEFAULT or SIMPLE, single or *_LIST) into calls on a
 * sink. A single orderbook object takes the byte scanner (one pass, no per-level objects); every other
 * frame, and any frame the scanner is not certain about, takes the general path: UTF-8 check,
 * JSON.parse, then field-by-field validation. Both paths end in the same BookFrame validation.
 */
export class UpbitFrameParser {
  private readonly frame = new BookFrame();
  private readonly scanner = new FrameScanner();
  private readonly fastPath: boolean;

  constructor(options: { readonly fastPath?: boolean } = {}) {
    this.fastPath = options.fastPath ?? true;
  }

  /**
   * Parses one frame that arrived at `receivedAt` (local ms) and says what it held: 'data' when it
   * carried an order book (valid or not), 'heartbeat' when only `{"status":"UP"}`, else 'other'.
   */
  parse(data: Buffer | string, sink: UpbitFrameSink, receivedAt = 0): FrameContent {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const frame = this.frame;
    if (this.fastPath && this.scanner.scan(bytes, frame) === SCAN_OK) {
      this.finishBook(sink, receivedAt);
      return 'data';
    }
    return this.parseGeneral(bytes, sink, receivedAt);
  }

  private parseGeneral(bytes: Buffer, sink: UpbitFrameSink, receivedAt: number): FrameContent {
    if (!isUtf8(bytes)) {
      sink.onInvalid(invalid('invalid-utf8', `${bytes.length}-byte frame is not valid UTF-8`), undefined);
      return 'other';
    }
    const text = bytes.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      sink.onInvalid(invalid('malformed-json', `not JSON: ${preview(text)}`, error), undefined);
      return 'other';
    }
    if (Array.isArray(value)) {
      // JSON_LIST / SIMPLE_LIST: one frame, many messages.
      let content: FrameContent = 'other';
      for (const item of value) content = strongest(content, this.dispatch(item, sink, receivedAt));
      return content;
    }
    return this.dispatch(value, sink, receivedAt);
  }

  private dispatch(value: unknown, sink: UpbitFrameSink, receivedAt: number): FrameContent {
    if (!isObject(value)) {
      sink.onInvalid(
        invalid('not-an-object', `expected an object, got ${preview(JSON.stringify(value))}`),
        undefined,
      );
      return 'other';
    }
    if ('status' in value) {
      if (value.status === 'UP') {
        sink.onStatus();
        return 'heartbeat';
      }
      sink.onInvalid(invalid('unknown-status', `status ${preview(JSON.stringify(value.status))}`), undefined);
      return 'other';
    }
    if ('error' in value) {
      const error = value.error;
      const name = isObject(error) && (typeof error.name === 'string' || typeof error.name === 'number');
      const message = isObject(error) && typeof error.message === 'string' ? error.message : '';
      sink.onExchangeError(name ? String((error as JsonObject).name) : 'UNKNOWN', message);
      return 'other';
    }
    const simple = !('type' in value) && 'ty' in value;
    const type = simple ? value.ty : value.type;
    if (type === 'orderbook') {
      this.normalise(value, simple, sink, receivedAt);
      return 'data';
    }
    const method = value.method ?? value.mthd;
    if (typeof method === 'string') {
      sink.onOther(method);
      return 'other';
    }
    if (typeof type === 'string' && (NON_BOOK_TYPES.has(type) || type.startsWith('candle.'))) {
      sink.onOther(type);
      return 'other';
    }
    sink.onInvalid(invalid('unknown-type', `type ${preview(JSON.stringify(type))}`), undefined);
    return 'other';
  }

  private normalise(value: JsonObject, simple: boolean, sink: UpbitFrameSink, receivedAt: number): void {
    const frame = this.frame;
    const rawCode = simple ? value.cd : value.code;
    if (typeof rawCode !== 'string' || rawCode.length === 0) {
      sink.onInvalid(invalid('missing-field', `orderbook without ${simple ? 'cd' : 'code'}`), undefined);
      return;
    }
    const code = stripSuffix(rawCode);
    const timestamp = simple ? value.tms : value.timestamp;
    if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) {
      sink.onInvalid(invalid('wrong-type', `${code}: timestamp ${preview(JSON.stringify(timestamp))}`), code);
      return;
    }
    const units = simple ? value.obu : value.orderbook_units;
    if (!Array.isArray(units)) {
      sink.onInvalid(
        invalid('missing-field', `${code}: no ${simple ? 'obu' : 'orderbook_units'} array`),
        code,
      );
      return;
    }
    const keys = simple ? SIMPLE_UNIT_KEYS : DEFAULT_UNIT_KEYS;
    frame.beginUnits();
    for (let i = 0; i < units.length; i++) {
      const unit: unknown = units[i];
      if (!isObject(unit)) {
        sink.onInvalid(invalid('wrong-type', `${code}: unit ${i} is not an object`), code);
        return;
      }
      const askPrice = unit[keys[0]];
      const askSize = unit[keys[1]];
      const bidPrice = unit[keys[2]];
      const bidSize = unit[keys[3]];
      if (
        typeof askPrice !== 'number' ||
        typeof askSize !== 'number' ||
        typeof bidPrice !== 'number' ||
        typeof bidSize !== 'number'
      ) {
        sink.onInvalid(
          invalid('missing-field', `${code}: unit ${i} lacks a numeric ${keys.join('/')}`),
          code,
        );
        return;
      }
      if (!frame.pushUnit(askPrice, askSize, bidPrice, bidSize)) {
        sink.onInvalid(invalid('too-many-units', `${code}: ${units.length} units`), code);
        return;
      }
    }
    const streamType = simple ? value.st : value.stream_type;
    frame.code = code;
    frame.timestamp = timestamp;
    frame.streamType = typeof streamType === 'string' ? streamType : '';
    this.finishBook(sink, receivedAt);
  }

  private finishBook(sink: UpbitFrameSink, receivedAt: number): void {
    const frame = this.frame;
    if (frame.finish()) {
      sink.onBook(frame, receivedAt);
      return;
    }
    const reason = frame.rejection ?? 'wrong-type';
    sink.onInvalid(invalid(reason, `${frame.code}: ${frame.rejectionDetail}`), frame.code);
  }
}

/** What one frame held, strongest first: any book makes it data, a lone status reply a heartbeat. */
export type FrameContent = 'data' | 'heartbeat' | 'other';

function strongest(a: FrameContent, b: FrameContent): FrameContent {
  if (a === 'data' || b === 'data') return 'data';
  return a === 'heartbeat' || b === 'heartbeat' ? 'heartbeat' : 'other';
}

const DEFAULT_UNIT_KEYS = ['ask_price', 'ask_size', 'bid_price', 'bid_size'] as const;
const SIMPLE_UNIT_KEYS = ['ap', 'as', 'bp', 'bs'] as const;

function preview(text: string | undefined): string {
  if (text === undefined) return 'undefined';
  return text.length > 80 ? `${text.slice(0, 80)}… (${text.length} chars)` : text;
}
