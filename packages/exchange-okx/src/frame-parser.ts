import { InvalidMessageError } from '@arbitrage/core';
import { BookEvent, parseUpdateId, type UpdateId } from '@arbitrage/exchange-kit';
import { readSide } from './book-levels.js';
import { OkxBookScanner } from './book-scanner.js';
import { OKX_EXCHANGE_ID } from './symbols.js';

/** The book channels this plugin reads (docs/protocols/okx.md E4). */
export type OkxBookChannel = 'books' | 'books5';

/**
 * What one frame was:
 * - pong: the answer to our text `ping` (E8);
 * - book: a push of `channel` for `instId`, levels and ids in `event` (`firstId` = prevSeqId,
 *   `finalId` = seqId); `action` 'snapshot' | 'update', or 'full' for books5 (no action);
 * - subscribed: `{"event":"subscribe","arg":…}` (E3);
 * - error: `{"event":"error","code","msg"}`, which names no `arg` (E3);
 * - notice: `{"event":"notice","code":"64008",…}`, a service upgrade (E8);
 * - invalid: unusable; `instId` when the frame still named one of its instruments;
 * - other: anything else well formed (unsubscribe acks, unknown events, other channels).
 */
export type OkxFrame =
  | { readonly kind: 'pong' }
  | {
      readonly kind: 'book';
      readonly channel: OkxBookChannel;
      readonly instId: string;
      readonly action: 'snapshot' | 'update' | 'full';
    }
  | { readonly kind: 'subscribed'; readonly instId: string; readonly id: string | undefined }
  | { readonly kind: 'error'; readonly code: string; readonly msg: string; readonly id: string | undefined }
  | { readonly kind: 'notice'; readonly code: string; readonly msg: string }
  | { readonly kind: 'invalid'; readonly instId: string | undefined; readonly error: InvalidMessageError }
  | { readonly kind: 'other' };

const PONG: OkxFrame = { kind: 'pong' };
const OTHER: OkxFrame = { kind: 'other' };
const MAX_FRAME_BYTES = 8 * 1024 * 1024;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A sequence id: a non-negative safe integer, or a string of digits (-1 only when `allowMinusOne`). */
function sequenceId(value: unknown, allowMinusOne: boolean): UpdateId | undefined {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && (value >= 0 || (allowMinusOne && value === -1))) return value;
    return undefined;
  }
  if (typeof value === 'string') return parseUpdateId(value);
  return undefined;
}

function invalid(instId: string | undefined, reason: string): OkxFrame {
  const where = instId === undefined ? '' : ` for ${instId}`;
  return {
    kind: 'invalid',
    instId,
    error: new InvalidMessageError(OKX_EXCHANGE_ID, reason, `OKX message${where} rejected: ${reason}`),
  };
}

/**
 * Parses OKX public WebSocket frames (docs/protocols/okx.md E3–E8). The book event (and a book
 * frame) is reused for every frame: copy it to keep it. Never throws: anything unexpected is
 * 'invalid' or 'other'. The `checksum` field is not read (E5).
 *
 * Book pushes, nearly every frame, go through the byte scanner (book-scanner.ts); whatever it is not
 * sure of, and every control frame (events, errors, notices), goes through JSON.parse below, which
 * validates every field and says what is wrong. Both fill the same event with the same checks, and
 * a property test holds them equal.
 */
export class OkxFrameParser {
  readonly event = new BookEvent(64);
  /** Frames read by the byte scanner and by JSON.parse (diagnostics). */
  fastFrames = 0;
  slowFrames = 0;
  private readonly scanner = new OkxBookScanner();

  parse(data: Buffer): OkxFrame {
    if (data.length === 4 && data.toString('latin1') === 'pong') return PONG;
    if (data.length > MAX_FRAME_BYTES) return invalid(undefined, `frame of ${data.length} bytes`);
    const scanned = this.scanner.scan(data, this.event);
    if (scanned !== undefined) {
      this.fastFrames++;
      return scanned;
    }
    this.slowFrames++;
    return this.parseSlow(data);
  }

  /** The JSON.parse path: every frame the scanner did not take. */
  parseSlow(data: Buffer): OkxFrame {
    let message: unknown;
    try {
      message = JSON.parse(data.toString('utf8'));
    } catch {
      return invalid(undefined, 'not JSON');
    }
    if (!isRecord(message)) return invalid(undefined, 'not a JSON object');
    if (message.event !== undefined) return this.control(message);
    const arg = message.arg;
    if (!isRecord(arg)) return OTHER;
    const channel = arg.channel;
    if (channel !== 'books' && channel !== 'books5') return OTHER;
    const instId = arg.instId;
    if (typeof instId !== 'string') return invalid(undefined, `${channel} push without an instId`);
    return this.book(message, channel, instId);
  }

  private control(message: Record<string, unknown>): OkxFrame {
    const id = text(message.id);
    switch (message.event) {
      case 'subscribe': {
        const arg = message.arg;
        const instId = isRecord(arg) && typeof arg.instId === 'string' ? arg.instId : undefined;
        if (instId === undefined) return invalid(undefined, 'subscribe reply without arg.instId');
        return { kind: 'subscribed', instId, id };
      }
      case 'error':
        return { kind: 'error', code: text(message.code) ?? '', msg: text(message.msg) ?? '', id };
      case 'notice':
        return { kind: 'notice', code: text(message.code) ?? '', msg: text(message.msg) ?? '' };
      default:
        return OTHER;
    }
  }

  private book(message: Record<string, unknown>, channel: OkxBookChannel, instId: string): OkxFrame {
    const action = channel === 'books5' ? 'full' : message.action;
    if (action !== 'snapshot' && action !== 'update' && action !== 'full')
      return invalid(instId, `unknown action ${JSON.stringify(message.action)}`);
    const data = message.data;
    if (!Array.isArray(data) || data.length !== 1 || !isRecord(data[0]))
      return invalid(instId, '"data" is not an array of one object');
    const item = data[0];
    const ts = typeof item.ts === 'string' && /^\d{1,16}$/.test(item.ts) ? Number(item.ts) : Number.NaN;
    if (!(ts > 0)) return invalid(instId, `"ts" ${JSON.stringify(item.ts)} is not a time in ms`);
    const seqId = sequenceId(item.seqId, false);
    // books5 pushes carry no prevSeqId; a snapshot push has -1.
    const prevSeqId = channel === 'books5' ? seqId : sequenceId(item.prevSeqId, action === 'snapshot');
    if (seqId === undefined || prevSeqId === undefined)
      return invalid(
        instId,
        `seqId/prevSeqId ${String(item.seqId)}/${String(item.prevSeqId)} are not sequence ids`,
      );
    const event = this.event;
    event.reset();
    const whole = action !== 'update';
    event.kind = whole ? 'full' : 'delta';
    event.symbol = instId;
    event.stream = channel;
    event.eventTime = ts;
    event.firstId = prevSeqId;
    event.finalId = seqId;
    const problem = readSide(item.bids, 'bids', event, whole) ?? readSide(item.asks, 'asks', event, whole);
    if (problem !== undefined) return invalid(instId, problem);
    return { kind: 'book', channel, instId, action };
  }
}
