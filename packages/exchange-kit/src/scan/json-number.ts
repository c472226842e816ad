import { latin1 } from './bytes.js';
import * as charCodes from './char-codes.js';
import { EXPONENT_CAP, exactDecimal } from './decimal.js';

// Module constants, not imported bindings: see decimal.ts.
const { DOT, LOWER_E, MINUS, NINE, PLUS, UPPER_E, ZERO } = charCodes;

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
