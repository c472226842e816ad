/**
 * Snapshot sizes Binance prices in steps (docs/protocols/binance.md B6): up to 100 levels weigh 5,
 * 500 weigh 25, 1000 weigh 50, 5000 weigh 250, against a budget of 6000 a minute.
 */
const TIERS = [100, 500, 1000, 5000] as const;

/**
 * Levels of book the stream keeps when nobody says: deep enough that the top of the book survives a
 * large move between resyncs, at a fifth of the weight of the deepest snapshot.
 */
export const DEFAULT_SNAPSHOT_LIMIT = 1000;

/**
 * The snapshot size for a stream that needs `depth` levels per side: the cheapest tier that covers
 * it, 1000 when not given. With the default budget (5000 weight a minute) that is about 100
 * snapshots a minute, against 19 at the deepest size.
 */
export function snapshotLimitFor(depth: number | undefined): number {
  if (depth === undefined || !(depth > 0)) return DEFAULT_SNAPSHOT_LIMIT;
  for (const tier of TIERS) if (depth <= tier) return tier;
  return 5000;
}
