/**
 * Validation of OKX public WebSocket requests (`subscribe`, `unsubscribe`, docs/protocols/okx.md E3)
 * into a typed request or the error event OKX answers with: code 60012 for a malformed request.
 */

export interface OkxArg {
  readonly channel: string;
  readonly instId: string;
}

export interface OkxRequest {
  readonly op: 'subscribe' | 'unsubscribe';
  /** The client's own id, echoed in every reply (E3). */
  readonly id: string | undefined;
  readonly args: readonly OkxArg[];
}

export interface OkxRequestError {
  readonly code: string;
  readonly msg: string;
  readonly id: string | undefined;
}

const ID = /^[A-Za-z0-9]{1,32}$/;
const MAX_ECHO = 256;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function illegal(text: string, id: string | undefined): OkxRequestError {
  const echo = text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}…` : text;
  return { code: '60012', msg: `Illegal request: ${echo}`, id };
}

export function parseOkxRequest(text: string): OkxRequest | OkxRequestError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return illegal(text, undefined);
  }
  if (!isRecord(parsed)) return illegal(text, undefined);
  const rawId = parsed.id;
  let id: string | undefined;
  if (rawId !== undefined) {
    if (typeof rawId !== 'string' || !ID.test(rawId)) return illegal(text, undefined);
    id = rawId;
  }
  const op = parsed.op;
  if (op !== 'subscribe' && op !== 'unsubscribe') return illegal(text, id);
  const args = parsed.args;
  if (!Array.isArray(args) || args.length === 0) return illegal(text, id);
  const out: OkxArg[] = [];
  for (const entry of args) {
    if (!isRecord(entry) || typeof entry.channel !== 'string' || typeof entry.instId !== 'string')
      return illegal(text, id);
    out.push({ channel: entry.channel, instId: entry.instId });
  }
  return { op, id, args: out };
}

export function isRequestError(value: OkxRequest | OkxRequestError): value is OkxRequestError {
  return 'code' in value;
}

/** 60018: the channel or instrument does not exist (E3), worded as OKX words it. */
export function doesNotExist(arg: OkxArg, id: string | undefined): OkxRequestError {
  return {
    code: '60018',
    msg: `Wrong URL or channel:${arg.channel},instId:${arg.instId} doesn't exist. Please use the correct URL, channel and parameters referring to API document.`,
    id,
  };
}
