// Payload and meta escaping of recording format version 1 (docs/recording.md): `\` → `\\`, LF → `\n`,
// CR → `\r`, TAB → `\t`. Byte-level, so it is exact for any bytes (the four are ASCII and never part of
// a multi-byte UTF-8 sequence).

const BACKSLASH = 0x5c;
const LF = 0x0a;
const CR = 0x0d;
const TAB = 0x09;

const SPECIAL_TEXT = /[\\\n\r\t]/;
const SPECIAL_TEXT_ALL = /[\\\n\r\t]/g;
const TEXT_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

export function escapeText(text: string): string {
  return SPECIAL_TEXT.test(text) ? text.replace(SPECIAL_TEXT_ALL, (char) => TEXT_ESCAPES[char]!) : text;
}

export function bytesNeedEscape(bytes: Buffer): boolean {
  return (
    bytes.indexOf(BACKSLASH) !== -1 ||
    bytes.indexOf(LF) !== -1 ||
    bytes.indexOf(TAB) !== -1 ||
    bytes.indexOf(CR) !== -1
  );
}

/** Writes `bytes` escaped into `out` at `at` (which has room for twice their length); returns the end. */
export function escapeBytesInto(bytes: Buffer, out: Buffer, at: number): number {
  let pos = at;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === BACKSLASH || byte === LF || byte === CR || byte === TAB) {
      out[pos++] = BACKSLASH;
      out[pos++] = byte === BACKSLASH ? BACKSLASH : byte === LF ? 0x6e : byte === CR ? 0x72 : 0x74;
    } else {
      out[pos++] = byte;
    }
  }
  return pos;
}

/**
 * The bytes of an escaped field, unescaped. Throws a description of the problem when a backslash is
 * followed by anything but `\`, `n`, `r`, `t` (the caller names the file and line).
 */
export function unescapeBytes(escaped: Buffer): Buffer {
  const out = Buffer.allocUnsafe(escaped.length);
  let pos = 0;
  for (let i = 0; i < escaped.length; i++) {
    const byte = escaped[i]!;
    if (byte !== BACKSLASH) {
      out[pos++] = byte;
      continue;
    }
    const next = escaped[++i];
    if (next === BACKSLASH) out[pos++] = BACKSLASH;
    else if (next === 0x6e) out[pos++] = LF;
    else if (next === 0x72) out[pos++] = CR;
    else if (next === 0x74) out[pos++] = TAB;
    else
      throw new Error(
        `a backslash followed by ${next === undefined ? 'the end of the field' : `byte ${next}`}`,
      );
  }
  return out.subarray(0, pos);
}
