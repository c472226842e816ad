import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '@arbitrage/core';
import type { RecordedEntry } from '../recording/entry.js';
import type { TimeRange } from '../recording/exchange-source.js';
import { decodeMember } from '../recording/gzip-member-reader.js';
import type { Recording } from '../recording/open-recording.js';
import type { RecordingError } from '../recording/recording-error.js';
import { RecordingWriter, type RecordingWriterOptions } from '../recording/recording-writer.js';

/** 2026-12-06T08:00:00Z */
export const T0 = Date.UTC(2026, 11, 6, 8, 0, 0);

const made: string[] = [];

/** A fresh empty folder under the OS temp dir, removed by `removeTempDirs`. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'recording-test-'));
  made.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A writer on a manual clock at T0 recording upbit and binance into `dir/rec`; errors are collected. */
export async function openTestWriter(
  dir: string,
  overrides: Partial<RecordingWriterOptions> = {},
): Promise<{ writer: RecordingWriter; clock: ManualClock; errors: RecordingError[]; out: string }> {
  const clock = new ManualClock(T0);
  const errors: RecordingError[] = [];
  const out = path.join(dir, 'rec');
  const writer = await RecordingWriter.open({
    dir: out,
    exchanges: { upbit: ['BTC/KRW'], binance: ['BTC/USDT'] },
    market: 'sim',
    versions: { '@arbitrage/runner': '0.1.0' },
    clock,
    onError: (error) => errors.push(error),
    ...overrides,
  });
  return { writer, clock, errors, out };
}

export function readAll(recording: Recording, range?: TimeRange): RecordedEntry[] {
  const cursor = recording.cursor(range);
  const entries: RecordedEntry[] = [];
  for (let entry = cursor.next(); entry !== undefined; entry = cursor.next()) entries.push(entry);
  return entries;
}

/** Compressed byte offsets of the gzip members of a recording file. */
export function memberOffsets(bytes: Buffer): number[] {
  const offsets: number[] = [];
  for (let offset = 0; offset < bytes.length; offset = decodeMember(bytes, offset, 'test').next)
    offsets.push(offset);
  return offsets;
}
