import { type Clock, sleep } from '@arbitrage/core';
import type { BudgetCharge } from './types.js';

/**
 * Waits until every charge fits its budget, then takes them all at once. When the wait would be
 * longer than `maxWaitMs`, throws what `refuse` makes instead of waiting (nothing is taken).
 */
export async function admitCharges(
  charges: readonly BudgetCharge[],
  clock: Clock,
  maxWaitMs: number,
  refuse: (delayMs: number, charge: BudgetCharge) => Error,
  signal: AbortSignal | undefined,
): Promise<void> {
  for (;;) {
    signal?.throwIfAborted();
    let delayMs = 0;
    let slowest: BudgetCharge | undefined;
    for (const charge of charges) {
      const delay = charge.budget.delayFor(charge.weight);
      if (delay > delayMs) {
        delayMs = delay;
        slowest = charge;
      }
    }
    if (slowest === undefined) {
      for (const charge of charges) charge.budget.tryTake(charge.weight);
      return;
    }
    if (delayMs > maxWaitMs) throw refuse(delayMs, slowest);
    await sleep(Math.max(1, delayMs), clock, signal);
  }
}
