/** What orders two updates of one book: the exchange's update id where both have one, else its time. */
export interface UpdateMark {
  readonly sequence?: number | undefined;
  readonly exchangeTime: number;
}

/**
 * Whether `candidate` is older than `reference` (the same instrument). Update ids are compared when
 * both carry one, because they are exact and come from one counter (Binance REST `lastUpdateId` and
 * WebSocket `u`); otherwise exchange times are (Upbit's `timestamp` on REST and WebSocket alike).
 * An equal mark is not older: it is the same state of the book.
 */
export function isOlderUpdate(candidate: UpdateMark, reference: UpdateMark): boolean {
  const a = candidate.sequence;
  const b = reference.sequence;
  if (a !== undefined && b !== undefined) return a < b;
  return candidate.exchangeTime < reference.exchangeTime;
}
