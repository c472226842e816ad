/** Upbit's `Remaining-Req: group=orderbook; min=600; sec=9` header. `min` is deprecated and ignored. */
export interface RemainingReq {
  readonly group: string;
  /** Requests left in the current second for `group`. */
  readonly sec: number;
}

/** Parses the header; undefined when it is missing or carries no usable `group` and `sec`. */
export function parseRemainingReq(value: unknown): RemainingReq | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== 'string') return undefined;
  let group: string | undefined;
  let sec: number | undefined;
  for (const part of raw.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    const text = part.slice(eq + 1).trim();
    if (key === 'group' && /^[a-z0-9_-]+$/i.test(text)) group = text;
    else if (key === 'sec' && /^\d+$/.test(text)) sec = Number(text);
  }
  return group === undefined || sec === undefined ? undefined : { group, sec };
}

/**
 * Each quotation group allows 10 requests per second per IP; `default` (exchange API) 30. Used to
 * turn `sec` (requests left) into requests used.
 */
export function exchangeGroupLimit(group: string): number {
  return group === 'default' ? 30 : 10;
}
