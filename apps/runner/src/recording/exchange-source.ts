import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { EntryKind, RecordedEntry } from './entry.js';
import { unescapeBytes } from './escape.js';
import { type DecodedMember, decodeMember } from './gzip-member-reader.js';
import { RecordingError } from './recording-error.js';
import type { RecordingWarnings } from './recording-warnings.js';

export interface TimeRange {
  /** ms since epoch, inclusive. */
  readonly from?: number;
  /** ms since epoch, exclusive. */
  readonly to?: number;
}

const TAB = 9;
const DOT = 46;
const DASH = 45;
/** Times end before 4e12 ms (year 2096, docs/recording.md): ms × 1000 + decimals is an exact integer. */
const MAX_INTEGER_MS = 4e12;
const HOUR_MS = 3_600_000;

function kindOf(code: number): EntryKind | undefined {
  switch (code) {
    case 119:
      return 'w';
    case 117:
      return 'u';
    case 98:
      return 'b';
    case 111:
      return 'o';
    case 99:
      return 'c';
    case 114:
      return 'r';
    case 82:
      return 'R';
    default:
      return undefined;
  }
}

/**
 * One exchange's entries in file order: hour files in order, gzip members in order, lines in order.
 * `head` is the next entry (undefined at the end). Checks that time never goes back, and that nothing
 * but the end of the last file is cut short.
 */
export class ExchangeSource {
  head: RecordedEntry | undefined;
  private fileIndex = -1;
  private file = '';
  private bytes: Buffer = Buffer.alloc(0);
  private member: DecodedMember | undefined;
  private data: Buffer = Buffer.alloc(0);
  /** The member's bytes as a latin1 string: one character per byte, so string offsets are byte offsets. */
  private text = '';
  private pos = 0;
  private memberBase = 0;
  private line = 0;
  private nextBackslash = -1;
  private previousT = Number.NEGATIVE_INFINITY;
  private ended = false;

  constructor(
    private readonly dir: string,
    private readonly exchange: string,
    /** Relative paths (`upbit/2026-12-06T08.tsv.gz`), in hour order. */
    private readonly files: readonly string[],
    private readonly range: TimeRange,
    private readonly warnings: RecordingWarnings,
  ) {
    const from = range.from;
    if (from !== undefined) {
      while (
        this.fileIndex + 1 < files.length - 1 &&
        hourStart(files[this.fileIndex + 1]!) + HOUR_MS <= from
      ) {
        this.fileIndex++;
      }
    }
    this.advance();
  }

  advance(): void {
    for (;;) {
      if (this.ended) {
        this.head = undefined;
        return;
      }
      if (this.pos < this.text.length) {
        const entry = this.parseLine();
        if (entry === undefined) continue;
        if (this.range.from !== undefined && entry.t < this.range.from) continue;
        if (this.range.to !== undefined && entry.t >= this.range.to) {
          this.ended = true;
          continue;
        }
        this.head = entry;
        return;
      }
      if (!this.nextMember() && !this.nextFile()) this.ended = true;
    }
  }

  private nextFile(): boolean {
    if (this.fileIndex + 1 >= this.files.length) return false;
    this.fileIndex++;
    this.file = path.join(this.dir, this.files[this.fileIndex]!);
    this.bytes = readFileSync(this.file);
    this.member = undefined;
    this.memberBase = 0;
    this.line = 0;
    if (this.bytes.length === 0) {
      if (!this.isLastFile())
        throw this.corrupt(
          'is empty, but later files follow: data is missing in the middle of the recording',
        );
      this.warnings.note({ code: 'empty_file', file: this.file, count: 1 });
    }
    return true;
  }

  private nextMember(): boolean {
    const offset = this.member ? this.member.next : 0;
    if (this.fileIndex < 0 || offset >= this.bytes.length) return false;
    if (this.member) this.memberBase += this.member.data.length;
    const member = decodeMember(this.bytes, offset, this.file);
    if (member.truncated) {
      if (!this.isLastFile()) {
        throw this.corrupt(
          `ends inside the gzip member at compressed byte offset ${offset}, but later files follow: data is missing in the middle of the recording`,
        );
      }
      this.warnings.note({ code: 'truncated_member', file: this.file, offset, count: 1 });
    }
    this.member = member;
    this.data = member.data;
    this.text = member.data.toString('latin1');
    this.pos = 0;
    this.nextBackslash = -1;
    return true;
  }

  private parseLine(): RecordedEntry | undefined {
    const s = this.text;
    let p = this.pos;
    const end = s.indexOf('\n', p);
    if (end === -1) return this.partialLine();
    this.line++;
    this.pos = end + 1;
    // t: digits, optionally '.' and 1 to 3 decimals.
    let c = s.charCodeAt(p);
    const digitsStart = p;
    let integer = 0;
    while (c >= 48 && c <= 57) {
      integer = integer * 10 + (c - 48);
      c = s.charCodeAt(++p);
    }
    if (p === digitsStart || integer > MAX_INTEGER_MS) throw this.malformed('the time is not a number of ms');
    let t = integer;
    if (c === DOT) {
      let fraction = 0;
      let scale = 1;
      c = s.charCodeAt(++p);
      while (c >= 48 && c <= 57 && scale < 1000) {
        fraction = fraction * 10 + (c - 48);
        scale *= 10;
        c = s.charCodeAt(++p);
      }
      if (scale === 1) throw this.malformed('the time is not a number of ms');
      t = (integer * scale + fraction) / scale;
    }
    if (c !== TAB)
      throw this.malformed(
        p >= end ? 'it has 1 field, expected 5' : 'the time is not a number of ms (at most 3 decimals)',
      );
    const kind = kindOf(s.charCodeAt(++p));
    if (kind === undefined || s.charCodeAt(++p) !== TAB) {
      throw this.malformed(`unknown kind "${s.slice(this.lineStart(end), end).split('\t')[1] ?? ''}"`);
    }
    let conn: number | null = null;
    c = s.charCodeAt(++p);
    if (c === DASH) {
      c = s.charCodeAt(++p);
    } else {
      const connStart = p;
      let value = 0;
      while (c >= 48 && c <= 57) {
        value = value * 10 + (c - 48);
        c = s.charCodeAt(++p);
      }
      if (p !== connStart) conn = value;
    }
    if (c !== TAB)
      throw this.malformed(
        p >= end ? 'it has 3 fields, expected 5' : 'the connection is not a number or "-"',
      );
    if ((conn === null) !== (kind === 'r' || kind === 'R')) {
      throw this.malformed(`kind ${kind} needs ${conn === null ? 'a connection number' : 'connection "-"'}`);
    }
    const metaStart = p + 1;
    const metaEnd = s.indexOf('\t', metaStart);
    if (metaEnd === -1 || metaEnd > end) throw this.malformed('it has 4 fields, expected 5');
    const extraTab = s.indexOf('\t', metaEnd + 1);
    if (extraTab !== -1 && extraTab < end)
      throw this.malformed('it has more than 5 fields (a raw tab in the payload)');
    const meta = metaEnd === metaStart ? '' : this.textField(metaStart, metaEnd);
    const payload = this.payload(kind, metaEnd + 1, end);
    if (t < this.previousT) {
      throw new RecordingError(
        'RECORDING_CORRUPT',
        `${this.file} line ${this.line}: time ${t} is before the previous entry's ${this.previousT}; ` +
          "an exchange's entries must be in time order",
        this.file,
      );
    }
    this.previousT = t;
    return { t, exchange: this.exchange, kind, conn, meta, payload };
  }

  private payload(kind: EntryKind, start: number, end: number): Buffer | string {
    switch (kind) {
      case 'w':
      case 'u':
        return this.hasBackslash(start, end) ? this.unescape(start, end) : this.data.subarray(start, end);
      case 'r':
        return start === end ? '' : this.textField(start, end);
      case 'b':
      case 'R':
        return Buffer.from(this.text.slice(start, end), 'base64');
      default:
        if (start !== end) throw this.malformed(`kind ${kind} has no payload`);
        return '';
    }
  }

  private textField(start: number, end: number): string {
    return this.hasBackslash(start, end)
      ? this.unescape(start, end).toString('utf8')
      : this.data.toString('utf8', start, end);
  }

  private hasBackslash(start: number, end: number): boolean {
    if (this.nextBackslash < start && this.nextBackslash !== Number.POSITIVE_INFINITY) {
      const found = this.text.indexOf('\\', start);
      this.nextBackslash = found === -1 ? Number.POSITIVE_INFINITY : found;
    }
    return this.nextBackslash < end;
  }

  private unescape(start: number, end: number): Buffer {
    try {
      return unescapeBytes(this.data.subarray(start, end));
    } catch (error) {
      throw this.malformed((error as Error).message);
    }
  }

  /** The last line of a member has no newline: a crash while writing when it is the recording's end. */
  private partialLine(): undefined {
    const atEnd = this.member!.next >= this.bytes.length && this.isLastFile();
    if (!atEnd) {
      throw this.malformed('it does not end with a newline, but more data follows', this.line + 1);
    }
    this.warnings.note({
      code: 'truncated_line',
      file: this.file,
      offset: this.memberBase + this.pos,
      count: 1,
    });
    this.pos = this.text.length;
    return undefined;
  }

  private lineStart(end: number): number {
    return this.text.lastIndexOf('\n', end - 1) + 1;
  }

  private isLastFile(): boolean {
    return this.fileIndex === this.files.length - 1;
  }

  private malformed(problem: string, line = this.line): RecordingError {
    return new RecordingError(
      'RECORDING_CORRUPT',
      `${this.file} line ${line}: malformed entry (${problem})`,
      this.file,
    );
  }

  private corrupt(problem: string): RecordingError {
    return new RecordingError('RECORDING_CORRUPT', `${this.file} ${problem}`, this.file);
  }
}

/** ms since epoch of the hour a file `.../2026-12-06T08.tsv.gz` holds. */
export function hourStart(file: string): number {
  const name = path.basename(file);
  return Date.parse(`${name.slice(0, 13)}:00:00Z`);
}
