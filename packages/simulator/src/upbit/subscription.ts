/**
 * Parsing and validation of Upbit WebSocket requests (docs/protocols/upbit.md A3, A8): a JSON array of a ticket
 * object, type objects and an optional format object, or a LIST_SUBSCRIPTIONS method object.
 */

export type UpbitFormat = 'DEFAULT' | 'SIMPLE' | 'JSON_LIST' | 'SIMPLE_LIST';

export type UpbitErrorName =
  | 'WRONG_FORMAT'
  | 'NO_TICKET'
  | 'NO_TYPE'
  | 'NO_CODES'
  | 'INVALID_PARAM'
  | 'INVALID_AUTH'
  /** The simulator's own name for a message over the rate limit (Upbit documents no answer). */
  | 'TOO_MANY_REQ';

export interface UpbitRequestError {
  readonly name: UpbitErrorName;
  readonly message: string;
}

export interface TypeRequest {
  /** As sent ('orderbook', 'ticker', 'trade', 'candle.1s', ...). */
  readonly type: string;
  readonly codes: readonly string[];
  readonly onlySnapshot: boolean;
  readonly onlyRealtime: boolean;
  /** Price grouping unit; only 0 (native ticks) produces data here. */
  readonly level: number;
}

export type UpbitRequest =
  | {
      readonly kind: 'subscribe';
      readonly ticket: string;
      readonly types: readonly TypeRequest[];
      readonly format: UpbitFormat;
    }
  | { readonly kind: 'list'; readonly ticket: string; readonly format: UpbitFormat };

const FORMATS: readonly UpbitFormat[] = ['DEFAULT', 'SIMPLE', 'JSON_LIST', 'SIMPLE_LIST'];
const PUBLIC_TYPES = /^(?:ticker|trade|orderbook|candle\.(?:1s|1m|3m|5m|10m|15m|30m|60m|240m))$/;
const PRIVATE_TYPES = new Set(['myOrder', 'myAsset', 'announcement']);

const fail = (name: UpbitErrorName, message: string): UpbitRequestError => ({ name, message });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A boolean flag given in snake case (current docs) or camel case (older clients). */
function flag(object: Record<string, unknown>, snake: string, camel: string): boolean | UpbitRequestError {
  const value = object[snake] ?? object[camel];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') return fail('INVALID_PARAM', `${snake} must be a boolean.`);
  return value;
}

export function isRequestError(value: UpbitRequest | UpbitRequestError): value is UpbitRequestError {
  return 'name' in value;
}

export function parseUpbitRequest(text: string): UpbitRequest | UpbitRequestError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('WRONG_FORMAT', 'Requested using wrong format.');
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every(isRecord)) {
    return fail('WRONG_FORMAT', 'Requested using wrong format.');
  }
  const objects = parsed as Record<string, unknown>[];
  const ticketObject = objects.find((object) => 'ticket' in object);
  if (!ticketObject) return fail('NO_TICKET', 'Ticket is required.');
  const ticket = ticketObject.ticket;
  if (typeof ticket !== 'string' || ticket.length === 0)
    return fail('INVALID_PARAM', 'ticket must be a non-empty string.');
  let format: UpbitFormat = 'DEFAULT';
  for (const object of objects) {
    if (!('format' in object)) continue;
    const value = object.format;
    format =
      typeof value === 'string' && (FORMATS as readonly string[]).includes(value)
        ? (value as UpbitFormat)
        : 'DEFAULT';
  }
  const method = objects.find((object) => 'method' in object);
  if (method) {
    if (method.method !== 'LIST_SUBSCRIPTIONS')
      return fail('INVALID_PARAM', `Unknown method: ${String(method.method)}.`);
    return { kind: 'list', ticket, format };
  }
  const typeObjects = objects.filter((object) => object !== ticketObject && !('format' in object));
  if (typeObjects.length === 0) return fail('NO_TYPE', 'Type is required.');
  const types: TypeRequest[] = [];
  for (const object of typeObjects) {
    const type = object.type;
    if (type === undefined) return fail('NO_TYPE', 'Type is required.');
    if (typeof type !== 'string') return fail('INVALID_PARAM', 'type must be a string.');
    if (PRIVATE_TYPES.has(type)) return fail('INVALID_AUTH', 'Authorization is required for private types.');
    if (!PUBLIC_TYPES.test(type)) return fail('INVALID_PARAM', `Unsupported type: ${type}.`);
    const codes = object.codes;
    if (codes === undefined) return fail('NO_CODES', 'Codes is required.');
    if (!Array.isArray(codes) || codes.length === 0 || !codes.every((code) => typeof code === 'string')) {
      return fail('INVALID_PARAM', 'codes must be a non-empty array of strings.');
    }
    const onlySnapshot = flag(object, 'is_only_snapshot', 'isOnlySnapshot');
    if (typeof onlySnapshot !== 'boolean') return onlySnapshot;
    const onlyRealtime = flag(object, 'is_only_realtime', 'isOnlyRealtime');
    if (typeof onlyRealtime !== 'boolean') return onlyRealtime;
    let level = 0;
    if (object.level !== undefined && object.level !== null) {
      level =
        typeof object.level === 'string'
          ? Number(object.level)
          : typeof object.level === 'number'
            ? object.level
            : Number.NaN;
      if (!Number.isFinite(level) || level < 0)
        return fail('INVALID_PARAM', 'level must be a non-negative number.');
    }
    types.push({ type, codes: codes as string[], onlySnapshot, onlyRealtime, level });
  }
  return { kind: 'subscribe', ticket, types, format };
}

/** Orderbook units for a code with an optional `.N` suffix: N ∈ {1, 5, 15, 30}, anything else 30. */
export function splitOrderbookCode(code: string): { readonly code: string; readonly units: number } {
  const dot = code.lastIndexOf('.');
  if (dot < 0) return { code, units: 30 };
  const suffix = code.slice(dot + 1);
  if (!/^[0-9]+$/.test(suffix)) return { code, units: 30 };
  const n = Number(suffix);
  return { code: code.slice(0, dot), units: n === 1 || n === 5 || n === 15 || n === 30 ? n : 30 };
}
