import { latin1 } from './bytes.js';
import * as charCodes from './char-codes.js';

// Module constants, not imported bindings: V8 reads an imported binding through its module cell on
// every use in a hot loop (measured: parseDecimal 20% slower); a module constant it folds.
const { DOT, LOWER_E, MINUS, NINE, PLUS, UPPER_E, ZERO } = charCodes;

/**
 * Decimal text to the exact double that `Number(text)` (and so JSON.parse) gives, without building
 * strings: JSON numbers (readJsonNumber) and decimal strings (parseDecimal), in one module so that
 * both call exactDecimal locally. Clinger's fast path: when the significant digits fit in 15 decimal
 * digits (so the integer mantissa is exact) and the decimal exponent is within ±22 (so 10^|e| is an
 * exact double), one multiplication or division is correctly rounded. Anything else is handed to
 * `Number()` on the text.
 */

/** 10^0 .. 10^22, every one exact in a double. */
const POWERS_OF_TEN = new Float64Array([
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
]);
const MAX_EXACT_DIGITS = 15;
const MAX_EXACT_POWER = 22;
/**
 * Exponent digits stop accumulating here. A larger exponent may still cancel against a fraction
 * just as long, so it always goes to Number().
 */
const EXPONENT_CAP = 100_000;

/**
 * ±mantissa × 10^power when that is exact with one operation, else NaN (ask `Number()`).
 * `digits` counts the significant digits of the mantissa (leading zeros excluded).
 */
export function exactDecimal(negative: boolean, mantissa: number, digits: number, power: number): number {
  if (digits > MAX_EXACT_DIGITS || power > MAX_EXACT_POWER || power < -MAX_EXACT_POWER) return Number.NaN;
  const value = power >= 0 ? mantissa * POWERS_OF_TEN[power]! : mantissa / POWERS_OF_TEN[-power]!;
  return negative ? -value : value;
}

/**
 * Reads the JSON number at `pos` (strict JSON grammar: no leading zeros, no `+`, no bare dot),
 * writes its value, exactly what JSON.parse gives, into `out[slot]` and returns the position after
 * it; -1 when no JSON number starts there. What follows the number is the caller's to check.
 */
export function readJsonNumber(bytes: Uint8Array, pos: number, out: Float64Array, slot: number): number {
  // Reads past the end give undefined, which fails every digit comparison below.
  const start = pos;
  let byte = bytes[pos]!;
  const negative = byte === MINUS;
  if (negative) byte = bytes[++pos]!;
  let mantissa = 0;
  let digits = 0;
  if (byte === ZERO) {
    byte = bytes[++pos]!;
    if (byte >= ZERO && byte <= NINE) return -1;
  } else if (byte > ZERO && byte <= NINE) {
    do {
      mantissa = mantissa * 10 + (byte - ZERO);
      digits++;
      byte = bytes[++pos]!;
    } while (byte >= ZERO && byte <= NINE);
  } else {
    return -1;
  }
  let power = 0;
  if (byte === DOT) {
    const fractionStart = pos + 1;
    byte = bytes[fractionStart]!;
    if (!(byte >= ZERO && byte <= NINE)) return -1;
    pos = fractionStart;
    do {
      mantissa = mantissa * 10 + (byte - ZERO);
      if (mantissa !== 0) digits++;
      byte = bytes[++pos]!;
    } while (byte >= ZERO && byte <= NINE);
    power = fractionStart - pos;
  }
  if (byte === LOWER_E || byte === UPPER_E) {
    byte = bytes[++pos]!;
    const exponentNegative = byte === MINUS;
    if (exponentNegative || byte === PLUS) byte = bytes[++pos]!;
    if (!(byte >= ZERO && byte <= NINE)) return -1;
    let exponent = 0;
    do {
      if (exponent < EXPONENT_CAP) exponent = exponent * 10 + (byte - ZERO);
      byte = bytes[++pos]!;
    } while (byte >= ZERO && byte <= NINE);
    // A capped exponent may cancel against an equally long fraction: Number() decides.
    power =
      exponent >= EXPONENT_CAP ? Number.POSITIVE_INFINITY : power + (exponentNegative ? -exponent : exponent);
  }
  const value = exactDecimal(negative, mantissa, digits, power);
  out[slot] = Number.isNaN(value) ? Number(latin1(bytes, start, pos)) : value;
  return pos;
}
/** A decimal string as Binance writes
 prices and quantities: `-?\d+(\.\d+)?([eE][+-]?\d+)?`. */
export const DECIMAL_PATTERN = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Parses `bytes[start, end)` as a decimal matching DECIMAL_PATTERN (leading zeros allowed), giving
 * exactly `Number(text)`. Returns NaN when the bytes do not match. Negative values are returned as
 * such: range checks belong to the caller.
 */
export function parseDecimal(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  const negative = i < end && bytes[i] === MINUS;
  if (negative) i++;
  let mantissa = 0;
  let digits = 0;
  let power = 0;
  const integerStart = i;
  while (i < end) {
    const c = bytes[i]!;
    if (c < ZERO || c > NINE) break;
    mantissa = mantissa * 10 + (c - ZERO);
    if (mantissa !== 0) digits++;
    i++;
  }
  if (i === integerStart) return Number.NaN;
  if (i < end && bytes[i] === DOT) {
    i++;
    const fractionStart = i;
    while (i < end) {
      const c = bytes[i]!;
      if (c < ZERO || c > NINE) break;
      mantissa = mantissa * 10 + (c - ZERO);
      if (mantissa !== 0) digits++;
      i++;
    }
    if (i === fractionStart) return Number.NaN;
    power = fractionStart - i;
  }
  if (i < end && (bytes[i] === LOWER_E || bytes[i] === UPPER_E)) {
    i++;
    const exponentNegative = i < end && bytes[i] === MINUS;
    if (exponentNegative || (i < end && bytes[i] === PLUS)) i++;
    const exponentStart = i;
    let exponent = 0;
    while (i < end) {
      const c = bytes[i]!;
      if (c < ZERO || c > NINE) break;
      if (exponent < EXPONENT_CAP) exponent = exponent * 10 + (c - ZERO);
      i++;
    }
    if (i === exponentStart) return Number.NaN;
    if (exponent >= EXPONENT_CAP) return Number(latin1(bytes, start, end));
    power += exponentNegative ? -exponent : exponent;
  }
  if (i !== end) return Number.NaN;
  const value = exactDecimal(negative, mantissa, digits, power);
  return Number.isNaN(value) ? Number(latin1(bytes, start, end)) : value;
}

/** The same grammar and result for a string (a JSON.parse path). */
export function parseDecimalString(text: string): number {
  return DECIMAL_PATTERN.test(text) ? Number(text) : Number.NaN;
}
