/**
 * Exchange order-book update ids (Binance `U`, `u`, `lastUpdateId`; OKX `seqId`).
 *
 * Binance spot ids are around 10^11 today, far inside 2^53, so they are kept as plain numbers on the
 * hot path. An id above Number.MAX_SAFE_INTEGER (a 19-digit id, docs/faults.md 28) is kept as a bigint
 * instead, so nothing is ever compared after float rounding. The representation is canonical
 * (a safe integer is always a number, anything larger always a bigint), so `===` is exact equality,
 * and `<`/`<=` compare number and bigint mathematically in JavaScript.
 */
export type UpdateId = number | bigint;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Canonical form of an id given as a bigint. */
export function canonicalId(value: bigint): UpdateId {
  return value <= MAX_SAFE ? Number(value) : value;
}

/** Parses an unsigned decimal integer; undefined when `text` is not one. */
export function parseUpdateId(text: string): UpdateId | undefined {
  if (!/^\d{1,30}$/.test(text)) return undefined;
  if (text.length <= 15) return Number(text);
  return canonicalId(BigInt(text));
}

/** id + 1, exactly. */
export function nextId(id: UpdateId): UpdateId {
  if (typeof id === 'number') return id < Number.MAX_SAFE_INTEGER ? id + 1 : BigInt(id) + 1n;
  return id + 1n;
}

/** The id as a number for reporting (LiveBook.sequence); lossy only above 2^53. */
export function idToNumber(id: UpdateId): number {
  return typeof id === 'number' ? id : Number(id);
}

export function formatId(id: UpdateId): string {
  return id.toString();
}
