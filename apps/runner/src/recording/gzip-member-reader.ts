import zlib from 'node:zlib';
import { RecordingError } from './recording-error.js';

export interface DecodedMember {
  /** The member's uncompressed bytes (all that could be decoded, when truncated). */
  readonly data: Buffer;
  /** Byte offset of the member in the compressed file. */
  readonly offset: number;
  /** Offset of the next member (the file's length after the last one). */
  readonly next: number;
  /** The file ends inside this member (a crash while recording): `data` holds what was flushed. */
  readonly truncated: boolean;
}

const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;

/**
 * Decodes the gzip member (RFC 1952) at `offset` of `bytes`, checking its CRC-32 and length. A member
 * cut short by the end of the file decodes up to where the bytes end (the writer sync-flushes every
 * segment, so everything flushed is there); anything else wrong is an error naming the file and offset.
 */
export function decodeMember(bytes: Buffer, offset: number, file: string): DecodedMember {
  const corrupt = (problem: string, cause?: unknown) =>
    new RecordingError(
      'RECORDING_CORRUPT',
      `${file}: the gzip member at compressed byte offset ${offset} is corrupt (${problem}); the recording cannot be read past it`,
      file,
      cause === undefined ? undefined : { cause },
    );
  const truncated = (data: Buffer): DecodedMember => ({ data, offset, next: bytes.length, truncated: true });
  if (bytes.length - offset < 10) {
    if (bytes[offset] !== undefined && bytes[offset] !== 0x1f) throw corrupt('not a gzip header');
    return truncated(Buffer.alloc(0));
  }
  if (bytes[offset] !== 0x1f || bytes[offset + 1] !== 0x8b || bytes[offset + 2] !== 8)
    throw corrupt('not a gzip header');
  const start = deflateStart(bytes, offset);
  if (start === undefined) return truncated(Buffer.alloc(0));
  let decoded: { buffer: Buffer; engine: zlib.InflateRaw };
  try {
    decoded = zlib.inflateRawSync(bytes.subarray(start), {
      info: true,
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
    }) as unknown as { buffer: Buffer; engine: zlib.InflateRaw };
  } catch (error) {
    throw corrupt((error as Error).message, error);
  }
  const data = decoded.buffer;
  const end = start + decoded.engine.bytesWritten;
  if (end + 8 > bytes.length) return truncated(data);
  if (bytes.readUInt32LE(end) !== zlib.crc32(data)) throw corrupt('CRC-32 mismatch');
  if (bytes.readUInt32LE(end + 4) !== data.length % 0x1_0000_0000) throw corrupt('length mismatch');
  return { data, offset, next: end + 8, truncated: false };
}

/** Where the deflate data starts after the header's optional fields; undefined when the file ends first. */
function deflateStart(bytes: Buffer, offset: number): number | undefined {
  const flags = bytes[offset + 3]!;
  let at = offset + 10;
  if (flags & FEXTRA) {
    if (at + 2 > bytes.length) return undefined;
    at += 2 + bytes.readUInt16LE(at);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    const zero = bytes.indexOf(0, at);
    if (zero === -1) return undefined;
    at = zero + 1;
  }
  if (flags & FHCRC) at += 2;
  return at < bytes.length ? at : undefined;
}
