import type { BookSlot } from './market-view.js';

/** Why a leg's book cannot be traded on. Age is judged separately, by the RiskGuard's freshness limit. */
export type LegSkipReason =
  | 'leg_missing'
  | 'leg_stale'
  | 'leg_resyncing'
  | 'leg_down'
  | 'leg_failed'
  | 'leg_crossed';

/**
 * Checks one leg's book as the provider describes it and as it is: present, in a tradable state,
 * not crossed. A state not yet reported (undefined) passes; the snapshot's age is checked apart.
 */
export function checkLeg(slot: BookSlot): LegSkipReason | undefined {
  const snapshot = slot.snapshot;
  if (!snapshot) return 'leg_missing';
  switch (slot.state) {
    case undefined:
    case 'live':
      break;
    case 'connecting':
      return 'leg_missing';
    case 'stale':
      return 'leg_stale';
    case 'resyncing':
      return 'leg_resyncing';
    case 'down':
      return 'leg_down';
    case 'failed':
      return 'leg_failed';
  }
  const bid = snapshot.bids[0];
  const ask = snapshot.asks[0];
  if (bid && ask && bid[0] >= ask[0]) return 'leg_crossed';
  return undefined;
}
