import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { RecordedEntry } from './entry.js';
import { HOUR_FILE_PATTERN } from './entry.js';
import { EntryCursor } from './entry-cursor.js';
import { ExchangeSource, type TimeRange } from './exchange-source.js';
import { MANIFEST_FILE, parseManifest, type RecordingManifest } from './manifest.js';
import { RecordingError } from './recording-error.js';
import { type RecordingWarning, RecordingWarnings } from './recording-warnings.js';

/** A recording folder opened for reading (format version 1, docs/recording.md). */
export class Recording {
  constructor(
    readonly dir: string,
    readonly manifest: RecordingManifest,
    /** Exchange id → its files (relative paths) in hour order. */
    private readonly files: ReadonlyMap<string, readonly string[]>,
    private readonly warned: RecordingWarnings,
  ) {}

  /**
   * Every entry of every exchange in time order (ties in the manifest's exchange order). Files are read
   * and decompressed synchronously, a gzip member (a minute) at a time: this is the fast path.
   */
  cursor(range: TimeRange = {}): EntryCursor {
    const sources = [...this.files].map(
      ([exchange, files]) => new ExchangeSource(this.dir, exchange, files, range, this.warned),
    );
    return new EntryCursor(sources);
  }

  /** The same entries as `cursor`, as an async iterator. */
  async *entries(range: TimeRange = {}): AsyncGenerator<RecordedEntry, void, undefined> {
    const cursor = this.cursor(range);
    for (let entry = cursor.next(); entry !== undefined; entry = cursor.next()) yield entry;
  }

  /** What was skipped so far (from the manifest, and from reading). */
  warnings(): RecordingWarning[] {
    return this.warned.list();
  }
}

/** Opens a recording folder: checks the manifest and finds every exchange's files. */
export async function openRecording(dir: string): Promise<Recording> {
  const manifestFile = path.join(dir, MANIFEST_FILE);
  const notRecording = () =>
    new RecordingError(
      'RECORDING_NOT_FOUND',
      `${dir} is not a recording (no ${MANIFEST_FILE})`,
      manifestFile,
    );
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw notRecording();
  const text = await readFile(manifestFile, 'utf8').catch(() => undefined);
  if (text === undefined) throw notRecording();
  const manifest = parseManifest(text, manifestFile, dir);
  const warnings = new RecordingWarnings();
  if (manifest.endedAt === null) warnings.note({ code: 'not_closed', file: manifestFile, count: 1 });
  const files = new Map<string, readonly string[]>();
  for (const [exchange, listed] of Object.entries(manifest.exchanges)) {
    files.set(exchange, await exchangeFiles(dir, exchange, listed.files));
    const folder = path.join(dir, exchange);
    const dropped = manifest.dropped[exchange] ?? 0;
    const retimed = manifest.retimed[exchange] ?? 0;
    if (dropped > 0) warnings.note({ code: 'dropped_entries', file: folder, count: dropped });
    if (retimed > 0) warnings.note({ code: 'retimed_entries', file: folder, count: retimed });
  }
  return new Recording(dir, manifest, files, warnings);
}

/**
 * The hour files on disk (a crash can leave a file the last manifest does not list yet); every file the
 * manifest lists must be there.
 */
async function exchangeFiles(dir: string, exchange: string, listed: readonly string[]): Promise<string[]> {
  const names = await readdir(path.join(dir, exchange)).catch(() => [] as string[]);
  const onDisk = names.filter((name) => HOUR_FILE_PATTERN.test(name)).map((name) => `${exchange}/${name}`);
  const missing = listed.find((file) => !onDisk.includes(file));
  if (missing !== undefined) {
    const file = path.join(dir, missing);
    throw new RecordingError('RECORDING_CORRUPT', `${file} is listed in the manifest but missing`, file);
  }
  return onDisk.sort();
}
