import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ENTRY_KINDS,
  type EntryCounts,
  EXCHANGE_ID_PATTERN,
  HOUR_FILE_PATTERN,
  zeroCounts,
} from './entry.js';
import { RecordingError } from './recording-error.js';

export const RECORDING_FORMAT = 'arbitrage-recording';
export const RECORDING_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

/** `manifest.json` of format version 1 (docs/recording.md, "Manifest"). */
export interface RecordingManifest {
  format: typeof RECORDING_FORMAT;
  version: number;
  /** Package name → version of what wrote the recording. */
  createdBy: Record<string, string>;
  market: 'sim' | 'live';
  /** ISO 8601; endedAt is null while recording (or after a crash). */
  startedAt: string;
  endedAt: string | null;
  exchanges: Record<string, { symbols: string[]; files: string[] }>;
  /** Entries written, per exchange and kind. */
  counts: Record<string, EntryCounts>;
  /** Entries not recorded (the disk failed or fell behind), per exchange. */
  dropped: Record<string, number>;
  /** Entries whose time was raised to the previous entry's, to keep each exchange in time order. */
  retimed: Record<string, number>;
  notes?: string;
  /** Market time per wall time while recording, when not 1 (the simulator's demo preset). */
  marketTime?: { preset: string; timeScale: number };
}

/** Writes the manifest atomically: a temporary file, then a rename over the old one. */
export async function writeManifest(dir: string, manifest: RecordingManifest): Promise<void> {
  const file = path.join(dir, MANIFEST_FILE);
  const temporary = `${file}.tmp`;
  await writeFile(temporary, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(temporary, file);
}

/** Parses and checks `manifest.json`; `file` is its path, for the messages. */
export function parseManifest(text: string, file: string, dir: string): RecordingManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RecordingError(
      'RECORDING_CORRUPT',
      `${file} is not valid JSON (${(error as Error).message})`,
      file,
      {
        cause: error,
      },
    );
  }
  const raw = value as Partial<Record<keyof RecordingManifest, unknown>> | null;
  if (!isObject(raw) || raw.format !== RECORDING_FORMAT) {
    throw new RecordingError(
      'RECORDING_NOT_FOUND',
      `${dir} is not a recording (${file} does not say format "${RECORDING_FORMAT}")`,
      file,
    );
  }
  const version = raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw bad(file, `version must be a whole number ≥ 1, got ${JSON.stringify(version)}`);
  }
  if (version > RECORDING_VERSION) {
    throw new RecordingError(
      'RECORDING_VERSION',
      `${dir} was recorded in format version ${version}; this reader supports version ${RECORDING_VERSION}. ` +
        'Upgrade @arbitrage/runner to read it.',
      file,
    );
  }
  if (raw.market !== 'sim' && raw.market !== 'live') throw bad(file, 'market must be "sim" or "live"');
  if (typeof raw.startedAt !== 'string') throw bad(file, 'startedAt must be a string');
  if (raw.endedAt !== null && typeof raw.endedAt !== 'string')
    throw bad(file, 'endedAt must be a string or null');
  if (!isObject(raw.exchanges)) throw bad(file, 'exchanges must be an object');
  const exchanges: RecordingManifest['exchanges'] = {};
  for (const [id, entry] of Object.entries(raw.exchanges)) {
    if (!EXCHANGE_ID_PATTERN.test(id)) throw bad(file, `exchange id ${JSON.stringify(id)} is not allowed`);
    const { symbols, files } = (isObject(entry) ? entry : {}) as { symbols?: unknown; files?: unknown };
    if (!isStringArray(symbols)) throw bad(file, `exchanges.${id}.symbols must be a list of strings`);
    if (!isStringArray(files) || !files.every((name) => isHourFileOf(id, name))) {
      throw bad(file, `exchanges.${id}.files must be a list of "${id}/YYYY-MM-DDTHH.tsv.gz"`);
    }
    exchanges[id] = { symbols, files };
  }
  return {
    format: RECORDING_FORMAT,
    version,
    createdBy: isObject(raw.createdBy) ? (raw.createdBy as Record<string, string>) : {},
    market: raw.market,
    startedAt: raw.startedAt,
    endedAt: raw.endedAt,
    exchanges,
    counts: perExchange(raw.counts, exchanges, (value) => countsOf(value)),
    dropped: perExchange(raw.dropped, exchanges, (value) => (typeof value === 'number' ? value : 0)),
    retimed: perExchange(raw.retimed, exchanges, (value) => (typeof value === 'number' ? value : 0)),
    ...(typeof raw.notes === 'string' ? { notes: raw.notes } : {}),
    ...(marketTimeOf(raw.marketTime) ?? {}),
  };
}

function isHourFileOf(exchange: string, name: string): boolean {
  const slash = name.indexOf('/');
  return name.slice(0, slash) === exchange && HOUR_FILE_PATTERN.test(name.slice(slash + 1));
}

function countsOf(value: unknown): EntryCounts {
  const counts = zeroCounts();
  if (!isObject(value)) return counts;
  for (const kind of ENTRY_KINDS) {
    const count = (value as Record<string, unknown>)[kind];
    if (typeof count === 'number') counts[kind] = count;
  }
  return counts;
}

function perExchange<T>(value: unknown, exchanges: object, read: (value: unknown) => T): Record<string, T> {
  const source = isObject(value) ? (value as Record<string, unknown>) : {};
  return Object.fromEntries(Object.keys(exchanges).map((id) => [id, read(source[id])]));
}

function bad(file: string, problem: string): RecordingError {
  return new RecordingError('RECORDING_CORRUPT', `${file}: ${problem}`, file);
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function marketTimeOf(value: unknown): { marketTime: { preset: string; timeScale: number } } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { preset, timeScale } = value as { preset?: unknown; timeScale?: unknown };
  if (typeof preset !== 'string' || typeof timeScale !== 'number' || !(timeScale > 0)) return undefined;
  return { marketTime: { preset, timeScale } };
}
