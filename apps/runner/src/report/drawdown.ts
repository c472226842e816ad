/** Drawdown in KRW below the running peak of equity (0 at a new high, negative below it); NaN stays NaN. */
export function drawdownKrw(equityKrw: readonly number[]): number[] {
  let peak = Number.NEGATIVE_INFINITY;
  return equityKrw.map((value) => {
    if (!Number.isFinite(value)) return Number.NaN;
    if (value > peak) peak = value;
    return value - peak;
  });
}

/** The deepest drawdown in KRW (0 when equity never fell below a peak). */
export function maxDrawdownKrw(equityKrw: readonly number[]): number {
  let deepest = 0;
  for (const value of drawdownKrw(equityKrw)) if (value < deepest) deepest = value;
  return deepest;
}
