import { type BookEvent, canonicalId, parseDecimalString, type UpdateId } from '@arbitrage/exchange-kit';

/** A reply to a SUBSCRIBE/UNSUBSCRIBE/LIST_SUBSCRIPTIONS/… request (docs/protocols/binance.md B3). */
export type ControlReply =
  | { readonly type: 'result'; readonly id: string | number | null; readonly result: unknown }
  | {
      readonly type: 'error';
      readonly id: string | number | null | undefined;
      readonly code: number;
      readonly msg: string;
    };

export type SlowResult =
  | { readonly kind: 'depth' }
  | { readonly kind: 'control'; readonly reply: ControlReply }
  | { readonly kind: 'shutdown'; readonly eventTime: number }
  | { readonly kind: 'invalid'; readonly reason: string; readonly stream: string; readonly symbol: string };

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const STREAM_PREFIX = /^\s*\{\s*"stream"\s*:\s*"([^"\\]{1,200})"/;

class Invalid {
  constructor(readonly reason: string) {}
}

function isControlId(value: unknown): value is string | number | null {
  return (
    value === null || typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value))
  );
}

function controlReply(frame: JsonRecord): ControlReply | Invalid {
  const id = frame.id;
  if ('result' in frame) {
    if (!isControlId(id)) return new Invalid('control reply without a valid "id"');
    return { type: 'result', id, result: frame.result };
  }
  // The docs' table writes {"code","msg","id"}; the live server nests it: {"error":{"code","msg"},"id"}.
  const body = isRecord(frame.error) ? frame.error : frame;
  if (typeof body.code !== 'number' || typeof body.msg !== 'string') {
    return new Invalid('error reply without numeric "code" and string "msg"');
  }
  if (id !== undefined && !isControlId(id)) return new Invalid('error reply with an invalid "id"');
  return { type: 'error', id, code: body.code, msg: body.msg };
}

/**
 * An update id from a JSON number. JSON.parse rounds integers above 2^53, so for those the digits
 * are read again from the frame text (`"U":1234567890123456789`), which is exact.
 */
function updateId(value: unknown, key: string, text: string): UpdateId | Invalid {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    return new Invalid(`"${key}" is not an unsigned integer`);
  }
  if (Number.isSafeInteger(value)) return value;
  const match = new RegExp(`"${key}"\\s*:\\s*(\\d+)`).exec(text);
  const digits = match?.[1];
  if (digits === undefined) return new Invalid(`"${key}" could not be read exactly`);
  return canonicalId(BigInt(digits));
}

function readLevels(value: unknown, side: 'bids' | 'asks', event: BookEvent): Invalid | undefined {
  if (!Array.isArray(value)) return new Invalid(`"${side}" is not an array`);
  for (let i = 0; i < value.length; i++) {
    const level: unknown = value[i];
    if (!Array.isArray(level) || level.length !== 2) {
      return new Invalid(`${side}[${i}] is not a [price, quantity] pair`);
    }
    const [priceText, sizeText] = level as [unknown, unknown];
    if (typeof priceText !== 'string' || typeof sizeText !== 'string') {
      return new Invalid(`${side}[${i}] price and quantity must be decimal strings`);
    }
    const price = parseDecimalString(priceText);
    const size = parseDecimalString(sizeText);
    if (Number.isNaN(price))
      return new Invalid(`${side}[${i}] price "${priceText.slice(0, 40)}" is not a decimal`);
    if (Number.isNaN(size))
      return new Invalid(`${side}[${i}] quantity "${sizeText.slice(0, 40)}" is not a decimal`);
    if (side === 'bids') event.pushBid(price, size);
    else event.pushAsk(price, size);
  }
  return undefined;
}

function readDiff(data: JsonRecord, text: string, event: BookEvent): Invalid | undefined {
  for (const key of ['E', 's', 'U', 'u', 'b', 'a']) {
    if (!(key in data)) return new Invalid(`depthUpdate without "${key}"`);
  }
  const { E, s } = data;
  if (typeof E !== 'number' || !Number.isSafeInteger(E) || E < 0)
    return new Invalid('"E" is not a time in ms');
  if (typeof s !== 'string' || s.length === 0) return new Invalid('"s" is not a symbol');
  const first = updateId(data.U, 'U', text);
  if (first instanceof Invalid) return first;
  const final = updateId(data.u, 'u', text);
  if (final instanceof Invalid) return final;
  event.kind = 'delta';
  event.symbol = s;
  event.eventTime = E;
  event.firstId = first;
  event.finalId = final;
  return readLevels(data.b, 'bids', event) ?? readLevels(data.a, 'asks', event);
}

function readPartial(data: JsonRecord, text: string, event: BookEvent): Invalid | undefined {
  const id = updateId(data.lastUpdateId, 'lastUpdateId', text);
  if (id instanceof Invalid) return id;
  event.kind = 'full';
  event.firstId = id;
  event.finalId = id;
  return readLevels(data.bids, 'bids', event) ?? readLevels(data.asks, 'asks', event);
}

/**
 * The complete path: JSON.parse and narrowing of every field. It handles whatever the fast scanner
 * declines (control replies, serverShutdown, whitespace, unusual key order, escapes, malformed
 * input) and produces the reason a frame is rejected.
 */
export function parseFrameSlow(text: string, event: BookEvent): SlowResult {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    const stream = STREAM_PREFIX.exec(text)?.[1] ?? '';
    return { kind: 'invalid', reason: 'not valid JSON', stream, symbol: '' };
  }
  if (!isRecord(frame)) return { kind: 'invalid', reason: 'not a JSON object', stream: '', symbol: '' };
  if ('result' in frame || ('code' in frame && 'msg' in frame) || isRecord(frame.error)) {
    const reply = controlReply(frame);
    if (reply instanceof Invalid) return { kind: 'invalid', reason: reply.reason, stream: '', symbol: '' };
    return { kind: 'control', reply };
  }
  let data: JsonRecord = frame;
  let stream = '';
  if ('stream' in frame) {
    if (typeof frame.stream !== 'string')
      return { kind: 'invalid', reason: '"stream" is not a string', stream, symbol: '' };
    stream = frame.stream;
    const inner = frame.data;
    if (!isRecord(inner)) return { kind: 'invalid', reason: '"data" is not an object', stream, symbol: '' };
    data = inner;
  }
  event.stream = stream;
  const type = data.e;
  let problem: Invalid | undefined;
  if (type === 'depthUpdate') {
    problem = readDiff(data, text, event);
  } else if (type === 'serverShutdown') {
    const time = data.E;
    return { kind: 'shutdown', eventTime: typeof time === 'number' && Number.isFinite(time) ? time : 0 };
  } else if (type === undefined && 'lastUpdateId' in data) {
    problem = readPartial(data, text, event);
  } else {
    const name = typeof type === 'string' ? `"${type.slice(0, 40)}"` : 'missing';
    problem = new Invalid(`unknown event type ${name}`);
  }
  if (problem) {
    return {
      kind: 'invalid',
      reason: problem.reason,
      stream,
      symbol: typeof data.s === 'string' ? data.s : '',
    };
  }
  return { kind: 'depth' };
}
