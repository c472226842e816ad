import * as charCodes from './char-codes.js';

// Module constants, not imported bindings: see decimal.ts.
const { BACKSLASH, CARRIAGE_RETURN, LINE_FEED, QUOTE, SPACE, TAB, TILDE } = charCodes;

/** The bytes of an ASCII literal, for comparing against frames without building strings. */
export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

/** Whether `bytes[start, end)` holds exactly `literal`. */
export function bytesEqual(bytes: Uint8Array, start: number, end: number, literal: Uint8Array): boolean {
  const length = literal.length;
  if (end - start !== length) return false;
  for (let i = 0; i < length; i++) if (bytes[start + i] !== literal[i]) return false;
  return true;
}

/** Whether `bytes[start, end)` holds exactly the ASCII string `text`. */
export function bytesEqualText(bytes: Uint8Array, start: number, end: number, text: string): boolean {
  const length = text.length;
  if (end - start !== length) return false;
  for (let i = 0; i < length; i++) if (bytes[start + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** The position after `literal` when `bytes` holds it at `pos`, else -1. */
export function matchLiteral(bytes: Uint8Array, pos: number, literal: Uint8Array): number {
  const length = literal.length;
  if (pos + length > bytes.length) return -1;
  for (let i = 0; i < length; i++) if (bytes[pos + i] !== literal[i]) return -1;
  return pos + length;
}

/** The first position at or after `pos` that is not JSON whitespace. */
export function skipSpace(bytes: Uint8Array, pos: number): number {
  let byte = bytes[pos];
  while (byte === SPACE || byte === LINE_FEED || byte === CARRIAGE_RETURN || byte === TAB)
    byte = bytes[++pos];
  return pos;
}

/**
 * A JSON string of printable ASCII without escapes, whose opening quote is at `pos`. Returns the
 * position after its closing quote (the contents are `[pos + 1, result - 1)`), or -1 when there is
 * no such string there: escapes, control bytes and non-ASCII bytes are left to JSON.parse.
 */
export function skipPlainString(bytes: Uint8Array, pos: number): number {
  if (bytes[pos] !== QUOTE) return -1;
  const end = bytes.length;
  for (let i = pos + 1; i < end; i++) {
    const byte = bytes[i]!;
    if (byte === QUOTE) return i + 1;
    if (byte === BACKSLASH || byte < SPACE || byte > TILDE) return -1;
  }
  return -1;
}

/** `bytes[start, end)` as a string, one character per byte. */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}
