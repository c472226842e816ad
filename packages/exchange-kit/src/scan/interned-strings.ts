import { bytesEqualText, latin1 } from './bytes.js';
import * as charCodes from './char-codes.js';

// Module constants, not imported bindings: see decimal.ts.
const { BACKSLASH, QUOTE, SPACE, TILDE } = charCodes;

/**
 * Reads plain ASCII strings from frames and interns them, so that a symbol seen on every frame is
 * one string rather than one allocation per frame. Hashing while scanning, in one pass, is
 * measurably faster than skipPlainString followed by a hash pass.
 */
export class InternedStrings {
  /** The position after the closing quote of the string last read. */
  end = 0;
  private readonly known = new Map<number, string>();

  /** `max`: distinct strings kept (later ones are read but not interned). */
  constructor(private readonly max = 4096) {}

  /**
   * The string (skipPlainString's rule: printable ASCII, no escapes) whose opening quote is at
   * `quote`, or undefined when there is none; sets `end`.
   */
  read(bytes: Uint8Array, quote: number): string | undefined {
    if (bytes[quote] !== QUOTE) return undefined;
    const start = quote + 1;
    let hash = 0;
    let at = start;
    const length = bytes.length;
    while (at < length) {
      const c = bytes[at]!;
      if (c === QUOTE) break;
      if (c === BACKSLASH || c < SPACE || c > TILDE) return undefined;
      hash = (Math.imul(hash, 31) + c) | 0;
      at++;
    }
    if (at >= length) return undefined;
    this.end = at + 1;
    hash = (Math.imul(hash, 31) + (at - start)) | 0;
    const known = this.known.get(hash);
    if (known !== undefined && bytesEqualText(bytes, start, at, known)) return known;
    const text = latin1(bytes, start, at);
    if (known === undefined && this.known.size < this.max) this.known.set(hash, text);
    return text;
  }
}
