import type { EntryKind } from './entry.js';
import { bytesNeedEscape, escapeBytesInto, escapeText } from './escape.js';

/** An entry as the writer holds it until the next flush; `conn` is -1 for REST. */
export interface PendingEntry {
  t: number;
  kind: EntryKind;
  readonly conn: number;
  readonly meta: string;
  readonly payload: Buffer | string;
}

/**
 * `1765000000123.456`: ms since epoch (already rounded to 3 decimals) without trailing zeros
 * (docs/recording.md, "Lines"). Integer and fraction apart: twice as fast as String(t) on such numbers.
 */
export function formatTime(t: number): string {
  const micros = Math.round(t * 1000);
  const ms = Math.floor(micros / 1000);
  const fraction = micros - ms * 1000;
  if (fraction === 0) return `${ms}`;
  if (fraction % 100 === 0) return `${ms}.${fraction / 100}`;
  if (fraction % 10 === 0) return `${ms}.${fraction < 100 ? '0' : ''}${fraction / 10}`;
  return `${ms}.${fraction < 10 ? '00' : fraction < 100 ? '0' : ''}${fraction}`;
}

/**
 * Encodes entries into the lines of a recording file, `t<TAB>kind<TAB>conn<TAB>meta<TAB>payload<LF>`,
 * into one reused buffer. The kinds are final here (the writer decided `u`/`b` and `r`/`R`).
 */
export class BatchEncoder {
  private out = Buffer.allocUnsafe(1 << 16);
  private pos = 0;

  /** The lines of `entries[start..end)`; the returned view is valid until the next call. */
  encode(entries: readonly PendingEntry[], start: number, end: number): Buffer {
    this.pos = 0;
    for (let i = start; i < end; i++) this.line(entries[i]!);
    return this.out.subarray(0, this.pos);
  }

  private line(entry: PendingEntry): void {
    const head = `${formatTime(entry.t)}\t${entry.kind}\t${entry.conn < 0 ? '-' : entry.conn}\t`;
    this.text(head, false);
    if (entry.meta !== '') this.text(entry.meta, true);
    this.ensure(1);
    this.out[this.pos++] = 0x09;
    const payload = entry.payload;
    if (entry.kind === 'b' || entry.kind === 'R') {
      this.text(
        typeof payload === 'string' ? Buffer.from(payload).toString('base64') : payload.toString('base64'),
        false,
      );
    } else if (typeof payload === 'string') {
      if (payload !== '') this.text(payload, true);
    } else if (bytesNeedEscape(payload)) {
      this.ensure(payload.length * 2);
      this.pos = escapeBytesInto(payload, this.out, this.pos);
    } else {
      this.ensure(payload.length);
      this.pos += payload.copy(this.out, this.pos);
    }
    this.ensure(1);
    this.out[this.pos++] = 0x0a;
  }

  private text(text: string, escaped: boolean): void {
    const value = escaped ? escapeText(text) : text;
    this.ensure(value.length * 3);
    this.pos += this.out.write(value, this.pos, 'utf8');
  }

  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.out.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.pos + bytes));
    this.out.copy(grown, 0, 0, this.pos);
    this.out = grown;
  }
}
