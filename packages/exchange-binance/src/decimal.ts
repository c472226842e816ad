/**
 * Decimal parsing straight from a frame's bytes, giving exactly the double that `Number(text)` gives.
 *
 * The grammar is the one Binance uses for prices and quantities, and the one the JSON.parse path
 * accepts: `-?\d+(\.\d+)?([eE][+-]?\d+)?`. The fast path is Clinger's: when the significant digits
 * fit in 15 decimal digits (so the integer mantissa is exact) and the decimal exponent is within
 * ±22 (so 10^e is an exact double), one multiplication or division rounds correctly. Anything
 * else falls back to `Number()` on the text, so results never differ from the JSON.parse path.
 */

/** Matches a decimal string the way the fast parser accepts it. */
export const DECIMAL_PATTERN = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

const POWERS_OF_TEN = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];
const MAX_EXACT_DIGITS = 15;

const ZERO = 48;
const NINE = 57;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const LOWER_E = 101;
const UPPER_E = 69;

function slowParse(bytes: Uint8Array, start: number, end: number): number {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]!);
  return Number(text);
}

/**
 * Parses bytes[start, end) as a decimal. Returns NaN when the bytes do not match DECIMAL_PATTERN.
 * Negative values are returned as such: range checks belong to the caller.
 */
export function parseDecimal(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  if (i < end && bytes[i] === MINUS) {
    negative = true;
    i++;
  }
  let mantissa = 0;
  let significant = 0;
  let exponent = 0;
  const integerStart = i;
  while (i < end) {
    const c = bytes[i]!;
    if (c < ZERO || c > NINE) break;
    if (mantissa !== 0 || c !== ZERO) significant++;
    mantissa = mantissa * 10 + (c - ZERO);
    i++;
  }
  if (i === integerStart) return Number.NaN;
  if (i < end && bytes[i] === DOT) {
    i++;
    const fractionStart = i;
    while (i < end) {
      const c = bytes[i]!;
      if (c < ZERO || c > NINE) break;
      if (mantissa !== 0 || c !== ZERO) significant++;
      mantissa = mantissa * 10 + (c - ZERO);
      i++;
    }
    if (i === fractionStart) return Number.NaN;
    exponent = fractionStart - i;
  }
  if (i < end && (bytes[i] === LOWER_E || bytes[i] === UPPER_E)) {
    i++;
    let exponentNegative = false;
    if (i < end && (bytes[i] === MINUS || bytes[i] === PLUS)) {
      exponentNegative = bytes[i] === MINUS;
      i++;
    }
    const digitsStart = i;
    let value = 0;
    while (i < end) {
      const c = bytes[i]!;
      if (c < ZERO || c > NINE) break;
      // Saturate: anything this large takes the slow path below anyway.
      if (value < 100_000) value = value * 10 + (c - ZERO);
      i++;
    }
    if (i === digitsStart) return Number.NaN;
    exponent += exponentNegative ? -value : value;
  }
  if (i !== end) return Number.NaN;
  if (significant > MAX_EXACT_DIGITS) return slowParse(bytes, start, end);
  let result: number;
  if (mantissa === 0) result = 0;
  else if (exponent >= 0 && exponent <= 22) result = mantissa * POWERS_OF_TEN[exponent]!;
  else if (exponent < 0 && exponent >= -22) result = mantissa / POWERS_OF_TEN[-exponent]!;
  else return slowParse(bytes, start, end);
  return negative ? -result : result;
}

/** The same grammar and result for a string (the JSON.parse path). */
export function parseDecimalString(text: string): number {
  return DECIMAL_PATTERN.test(text) ? Number(text) : Number.NaN;
}
