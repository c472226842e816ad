// A gzip member (RFC 1952) assembled by hand so that every flush is an independent raw-deflate segment
// ending in a sync flush: readable after a crash, compressed off the main thread (docs/recording.md).
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/** Magic, deflate, no flags, mtime 0 (reproducible), no extra flags, OS unknown. */
export const GZIP_HEADER: Buffer = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff]);

/** A final, empty fixed-Huffman block: ends the deflate stream of a member. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

const deflateRaw = promisify(zlib.deflateRaw);

/** Compresses one flush's lines as deflate blocks ending in a sync flush (byte-aligned, no final block). */
export function compressSegment(data: Buffer, level: number): Promise<Buffer> {
  return deflateRaw(data, { level, finishFlush: zlib.constants.Z_SYNC_FLUSH });
}

/** The running checksum and length of a member's uncompressed data. */
export class MemberChecksum {
  private crc = 0;
  private size = 0;

  add(data: Buffer): void {
    this.crc = zlib.crc32(data, this.crc);
    this.size = (this.size + data.length) % 0x1_0000_0000;
  }

  /** The final block and the trailer (CRC-32, length mod 2^32, little-endian). */
  end(): Buffer {
    const tail = Buffer.allocUnsafe(FINAL_BLOCK.length + 8);
    FINAL_BLOCK.copy(tail, 0);
    tail.writeUInt32LE(this.crc >>> 0, FINAL_BLOCK.length);
    tail.writeUInt32LE(this.size, FINAL_BLOCK.length + 4);
    return tail;
  }
}
