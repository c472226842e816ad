/** The caps every trade passes through. All are required: there is no "unlimited" default. */
export interface RiskLimits {
  /** Largest notional of one hedged pair in USD (USDT counted as USD), measured on the USDT leg. */
  readonly maxNotionalUsd: number;
  /** Most pairs open (or opening, or closing) at once, across assets. */
  readonly maxOpenTrades: number;
  /** Largest quantity of an asset held across open pairs (base units); a number applies to all assets. */
  readonly maxPositionPerAsset: number | Readonly<Record<string, number>>;
  /** Minimum book freshness: a leg whose snapshot is older than this (now − receivedAt) is never traded on. */
  readonly maxBookAgeMs: number;
  /** Orders sent in any one-second window. */
  readonly maxOrdersPerSecond: number;
  /** Realised loss within one day (USD) at which trading halts until a person resets it. */
  readonly dailyLossLimitUsd: number;
}

export const RISK_LIMIT_FIELDS: readonly (keyof RiskLimits)[] = [
  'maxNotionalUsd',
  'maxOpenTrades',
  'maxPositionPerAsset',
  'maxBookAgeMs',
  'maxOrdersPerSecond',
  'dailyLossLimitUsd',
];

const INTEGER_FIELDS: readonly (keyof RiskLimits)[] = ['maxOpenTrades', 'maxOrdersPerSecond'];

/**
 * Lists what is wrong with `limits`, one entry per field (missing, not a positive finite number);
 * empty when every limit is set. `assets`, when given, must each have a position limit.
 */
export function riskLimitProblems(
  limits: Partial<RiskLimits> | undefined,
  assets: readonly string[] = [],
): string[] {
  const problems: string[] = [];
  for (const field of RISK_LIMIT_FIELDS) {
    const value = limits?.[field];
    if (value === undefined) {
      problems.push(`limits.${field} is not set`);
    } else if (field === 'maxPositionPerAsset' && typeof value === 'object' && value !== null) {
      for (const asset of assets) {
        if (!isPositive(value[asset]))
          problems.push(
            `limits.maxPositionPerAsset.${asset} is not set: add a cap for ${asset} (base units), or make maxPositionPerAsset one number for every asset`,
          );
      }
      for (const [asset, cap] of Object.entries(value)) {
        if (!isPositive(cap))
          problems.push(`limits.maxPositionPerAsset.${asset} is ${String(cap)}; expected a number above 0`);
      }
    } else if (!isPositive(value)) {
      problems.push(`limits.${field} is ${String(value)}; expected a number above 0`);
    } else if (INTEGER_FIELDS.includes(field) && !Number.isInteger(value)) {
      problems.push(`limits.${field} is ${String(value)}; expected a whole number`);
    }
  }
  return [...new Set(problems)];
}

export function positionLimitFor(limits: RiskLimits, asset: string): number {
  const cap = limits.maxPositionPerAsset;
  return typeof cap === 'number' ? cap : (cap[asset] ?? 0);
}

function isPositive(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
