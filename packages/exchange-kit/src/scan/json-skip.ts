import { ascii, matchLiteral, skipPlainString, skipSpace } from './bytes.js';
import * as charCodes from './char-codes.js';
import { readJsonNumber } from './decimal.js';

// Module constants, not imported bindings: see decimal.ts.
const { CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE } = charCodes;

/** Containers nested deeper than this are left to JSON.parse. */
export const MAX_SKIP_NESTING = 16;

const TRUE = ascii('true');
const FALSE = ascii('false');
const NULL = ascii('null');
const LOWER_T = 0x74;
const LOWER_F = 0x66;
const LOWER_N = 0x6e;
const discarded = new Float64Array(1);

/**
 * Skips the JSON value at `pos` and returns the position after it, or -1 when it is not one this
 * scanner is sure of: strings must be plain ASCII (see skipPlainString) and containers nest at most
 * MAX_SKIP_NESTING deep (`nesting` is the depth `pos` is at).
 */
export function skipJsonValue(bytes: Uint8Array, pos: number, nesting = 0): number {
  const byte = bytes[pos];
  if (byte === QUOTE) return skipPlainString(bytes, pos);
  if (byte === OPEN_BRACE || byte === OPEN_BRACKET) return skipContainer(bytes, pos, nesting + 1);
  if (byte === LOWER_T) return matchLiteral(bytes, pos, TRUE);
  if (byte === LOWER_F) return matchLiteral(bytes, pos, FALSE);
  if (byte === LOWER_N) return matchLiteral(bytes, pos, NULL);
  return readJsonNumber(bytes, pos, discarded, 0);
}

function skipContainer(bytes: Uint8Array, pos: number, nesting: number): number {
  if (nesting > MAX_SKIP_NESTING) return -1;
  const isObject = bytes[pos] === OPEN_BRACE;
  const close = isObject ? CLOSE_BRACE : CLOSE_BRACKET;
  pos = skipSpace(bytes, pos + 1);
  if (bytes[pos] === close) return pos + 1;
  for (;;) {
    if (isObject) {
      pos = skipPlainString(bytes, pos);
      if (pos < 0) return -1;
      pos = skipSpace(bytes, pos);
      if (bytes[pos] !== COLON) return -1;
      pos = skipSpace(bytes, pos + 1);
    }
    pos = skipJsonValue(bytes, pos, nesting);
    if (pos < 0) return -1;
    pos = skipSpace(bytes, pos);
    const next = bytes[pos];
    if (next === COMMA) {
      pos = skipSpace(bytes, pos + 1);
      continue;
    }
    if (next !== close) return -1;
    return pos + 1;
  }
}
