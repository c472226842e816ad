import { ConfigError } from './errors.js';

/** What a numeric option accepts beyond "a finite number greater than 0". */
export interface NumberOptionRule {
  /** Also accept 0 ("none", "no wait"). */
  readonly allowZero?: boolean;
  /** The smallest value accepted, when it is not just "above 0" (e.g. 5 levels). */
  readonly min?: number;
  /** Accept Infinity, meaning "no limit" (a timer delay never may: Node would fire it at once). */
  readonly allowInfinity?: boolean;
  /** Whole numbers only (levels, counts). */
  readonly integer?: boolean;
  /** What the number counts, for the message: 'ms', 'levels per side', ... */
  readonly unit?: string;
}

/**
 * A numeric option: `value` when it satisfies `rule` (by default a finite number > 0), `fallback`
 * when it is undefined. Anything else throws a ConfigError that names the owner and the option,
 * shows what was given and says what to pass instead:
 *
 * `positiveNumber('RestMarketDataProvider', 'pollIntervalMs', options.pollIntervalMs, 1_000, { unit: 'ms' })`
 */
export function positiveNumber(
  owner: string,
  name: string,
  value: number | undefined,
  fallback: number,
  rule: NumberOptionRule = {},
): number {
  if (value === undefined) return fallback;
  return checked(owner, name, value, rule, `, or leave it out for the default (${fallback})`);
}

/** As `positiveNumber`, for an option with no default: undefined stays undefined. */
export function optionalPositiveNumber(
  owner: string,
  name: string,
  value: number | undefined,
  rule: NumberOptionRule = {},
): number | undefined {
  if (value === undefined) return undefined;
  return checked(owner, name, value, rule, ', or leave it out');
}

function checked(
  owner: string,
  name: string,
  value: unknown,
  rule: NumberOptionRule,
  leaveOut: string,
): number {
  if (accepts(value, rule)) return value;
  const needed = requirement(rule);
  throw new ConfigError(
    `${owner}: ${name} must be ${needed}, got ${describe(value)}. Pass ${needed}${leaveOut}.`,
  );
}

function accepts(value: unknown, rule: NumberOptionRule): value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) return false;
  if (value === Number.POSITIVE_INFINITY) return rule.allowInfinity === true;
  if (!Number.isFinite(value)) return false;
  if (rule.integer && !Number.isInteger(value)) return false;
  if (rule.min !== undefined) return value >= rule.min;
  return rule.allowZero ? value >= 0 : value > 0;
}

/** "a positive finite number of ms", "a whole number >= 5", "a number >= 0 or Infinity". */
function requirement(rule: NumberOptionRule): string {
  const kind = rule.integer ? 'whole number' : 'number';
  const finite = rule.allowInfinity ? '' : 'finite ';
  const unit = rule.unit === undefined ? '' : ` of ${rule.unit}`;
  const infinity = rule.allowInfinity ? ' (Infinity for no limit)' : '';
  if (rule.min !== undefined) return `a ${finite}${kind}${unit} >= ${rule.min}${infinity}`;
  if (rule.allowZero) return `a ${finite}${kind}${unit} >= 0${infinity}`;
  return `a positive ${finite}${kind}${unit}${infinity}`;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
