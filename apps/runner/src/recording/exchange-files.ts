import { type FileHandle, open } from 'node:fs/promises';
import path from 'node:path';
import type { BatchEncoder, PendingEntry } from './batch-encoder.js';
import { recordingWriteError } from './disk-error.js';
import { type EntryCounts, hourFileName, zeroCounts } from './entry.js';
import { compressSegment, GZIP_HEADER, MemberChecksum } from './gzip-member.js';

const MINUTE_MS = 60_000;

/**
 * One exchange's files: a file per UTC hour, a gzip member per minute, one sync-flushed deflate
 * segment per flush. Entries must come in time order (the writer sorts and clamps them).
 */
export class ExchangeFiles {
  /** Paths relative to the recording folder, in hour order. */
  readonly files: string[] = [];
  readonly counts: EntryCounts = zeroCounts();
  private handle: FileHandle | undefined;
  private file = '';
  private hour = Number.NaN;
  private minute = Number.NaN;
  private member: MemberChecksum | undefined;

  constructor(
    private readonly dir: string,
    private readonly exchange: string,
    private readonly encoder: BatchEncoder,
    private readonly level: number,
  ) {}

  /** Appends sorted entries; throws a RecordingError naming the file when the disk fails. */
  async append(entries: readonly PendingEntry[]): Promise<void> {
    let start = 0;
    while (start < entries.length) {
      const minute = Math.floor(entries[start]!.t / MINUTE_MS);
      let end = start + 1;
      while (end < entries.length && Math.floor(entries[end]!.t / MINUTE_MS) === minute) end++;
      await this.appendMinute(entries, start, end, minute);
      start = end;
    }
  }

  /** Ends the open member and closes the file. */
  async finish(): Promise<void> {
    await this.closeFile();
  }

  /** Closes the file without writing (after a disk error). */
  async abandon(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    this.member = undefined;
    await handle?.close().catch(() => undefined);
  }

  private async appendMinute(entries: readonly PendingEntry[], start: number, end: number, minute: number) {
    let prefix: Buffer | undefined;
    if (minute !== this.minute) {
      const hour = Math.floor(minute / 60);
      if (hour !== this.hour) {
        await this.closeFile();
        await this.openFile(hour);
      }
      prefix = this.member ? Buffer.concat([this.member.end(), GZIP_HEADER]) : GZIP_HEADER;
      this.member = new MemberChecksum();
      this.minute = minute;
    }
    const lines = this.encoder.encode(entries, start, end);
    this.member!.add(lines);
    const compressed = await compressSegment(lines, this.level);
    await this.write(prefix ? Buffer.concat([prefix, compressed]) : compressed);
    for (let i = start; i < end; i++) this.counts[entries[i]!.kind]++;
  }

  private async openFile(hour: number): Promise<void> {
    const relative = `${this.exchange}/${hourFileName(hour)}`;
    this.file = path.join(this.dir, relative);
    try {
      this.handle = await open(this.file, 'a');
    } catch (error) {
      throw recordingWriteError(this.file, error);
    }
    this.files.push(relative);
    this.hour = hour;
  }

  private async closeFile(): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    if (this.member) await this.write(this.member.end());
    this.member = undefined;
    this.minute = Number.NaN;
    this.handle = undefined;
    try {
      await handle.datasync();
      await handle.close();
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw recordingWriteError(this.file, error);
    }
  }

  private async write(bytes: Buffer): Promise<void> {
    try {
      for (let done = 0; done < bytes.length; ) {
        done += (await this.handle!.write(bytes, done)).bytesWritten;
      }
    } catch (error) {
      throw recordingWriteError(this.file, error);
    }
  }
}
