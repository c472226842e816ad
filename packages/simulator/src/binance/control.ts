/**
 * Validation of Binance WebSocket control requests (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS,
 * SET_PROPERTY, GET_PROPERTY) into either a typed request or the documented error (docs/protocols/binance.md B3).
 */

export type RequestId = number | string | null;

export type ControlRequest =
  | {
      readonly method: 'SUBSCRIBE' | 'UNSUBSCRIBE';
      readonly id: RequestId;
      readonly params: readonly string[];
    }
  | { readonly method: 'LIST_SUBSCRIPTIONS'; readonly id: RequestId }
  | {
      readonly method: 'SET_PROPERTY';
      readonly id: RequestId;
      readonly name: string;
      readonly value: unknown;
    }
  | { readonly method: 'GET_PROPERTY'; readonly id: RequestId; readonly name: string };

export interface ControlError {
  readonly code: number;
  readonly msg: string;
  readonly id: RequestId;
}

const METHODS = ['SUBSCRIBE', 'UNSUBSCRIBE', 'LIST_SUBSCRIPTIONS', 'SET_PROPERTY', 'GET_PROPERTY'];
const STRING_ID = /^[A-Za-z0-9_-]{1,36}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "Invalid JSON: expected value at line L column C", located from the parser's error. */
function invalidJson(text: string, error: unknown): ControlError {
  const match = error instanceof Error ? /position (\d+)/.exec(error.message) : null;
  const position = match ? Number(match[1]) : text.length;
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return { code: 3, msg: `Invalid JSON: expected value at line ${line} column ${column}`, id: null };
}

function invalid(msg: string, id: RequestId): ControlError {
  return { code: 2, msg: `Invalid request: ${msg}`, id };
}

export function parseControl(text: string): ControlRequest | ControlError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return invalidJson(text, error);
  }
  if (!isRecord(parsed)) return invalid('expected a JSON object', null);
  const rawId = parsed.id;
  let id: RequestId = null;
  if (rawId !== undefined && rawId !== null) {
    if (typeof rawId === 'number' && Number.isInteger(rawId)) id = rawId;
    else if (typeof rawId === 'string' && STRING_ID.test(rawId)) id = rawId;
    else return invalid('request ID must be an unsigned integer', null);
  }
  const method = parsed.method;
  if (method === undefined) return invalid('missing field `method`', id);
  if (typeof method !== 'string' || !METHODS.includes(method)) {
    return invalid(
      `unknown variant \`${String(method)}\`, expected one of \`SUBSCRIBE\`, \`UNSUBSCRIBE\`, \`LIST_SUBSCRIPTIONS\`, \`SET_PROPERTY\`, \`GET_PROPERTY\``,
      id,
    );
  }
  const params = parsed.params;
  switch (method) {
    case 'SUBSCRIBE':
    case 'UNSUBSCRIBE': {
      if (params === undefined) return invalid('missing field `params`', id);
      if (!Array.isArray(params) || !params.every((name) => typeof name === 'string')) {
        return invalid('invalid stream', id);
      }
      return { method, id, params };
    }
    case 'LIST_SUBSCRIPTIONS':
      return { method, id };
    case 'SET_PROPERTY': {
      if (!Array.isArray(params) || params.length < 2) return invalid('missing parameters', id);
      if (params.length > 2) return invalid('too many parameters', id);
      if (typeof params[0] !== 'string') return invalid('property name must be a string', id);
      return { method, id, name: params[0], value: params[1] };
    }
    default: {
      if (!Array.isArray(params) || params.length < 1) return invalid('missing parameters', id);
      if (params.length > 1) return invalid('too many parameters', id);
      if (typeof params[0] !== 'string') return invalid('property name must be a string', id);
      return { method: 'GET_PROPERTY', id, name: params[0] };
    }
  }
}

export function isControlError(value: ControlRequest | ControlError): value is ControlError {
  return 'code' in value;
}
