import { stat } from 'node:fs/promises';
import { type Clock, ConfigError, systemClock, type TimerHandle } from '@arbitrage/core';
import { BatchEncoder, type PendingEntry } from './batch-encoder.js';
import { recordingWriteError } from './disk-error.js';
import { type EntryKind, EXCHANGE_ID_PATTERN } from './entry.js';
import { ExchangeFiles } from './exchange-files.js';
import { RECORDING_FORMAT, RECORDING_VERSION, type RecordingManifest, writeManifest } from './manifest.js';
import { prepareBatch } from './pending-batch.js';
import { prepareRecordingDirectory } from './prepare-directory.js';
import { RecordingError } from './recording-error.js';

export interface RecordingWriterOptions {
  /** The recording folder: created, or an existing empty folder. */
  readonly dir: string;
  /** Exchange id → the symbols recorded from it. */
  readonly exchanges: Readonly<Record<string, readonly string[]>>;
  readonly market: 'sim' | 'live';
  /** Package name → version, written to the manifest's `createdBy`. */
  readonly versions: Readonly<Record<string, string>>;
  readonly clock?: Clock;
  /** How often buffered entries are compressed, written and sync-flushed: the most a crash loses. Default 1000. */
  readonly flushIntervalMs?: number;
  /** Entries waiting for the disk beyond this many bytes are dropped and counted. Default 64 MiB. */
  readonly maxBufferedBytes?: number;
  /** zlib level 1–9. Default 6. */
  readonly compressionLevel?: number;
  readonly notes?: string;
  /** How fast market time ran while recording (the simulator's demo preset: 60); omitted for real time. */
  readonly marketTime?: { readonly preset: string; readonly timeScale: number };
  /** Told once when the disk fails (the writer then stops writing) and once when it falls behind. */
  readonly onError: (error: RecordingError) => void;
}

/** Rough bytes an entry costs beyond its payload, for the buffer cap. */
const ENTRY_OVERHEAD = 64;
const MINUTE_MS = 60_000;

class ExchangeState {
  entries: PendingEntry[] = [];
  sorted = true;
  lastT = Number.NEGATIVE_INFINITY;
  floor = Number.NEGATIVE_INFINITY;
  dropped = 0;
  retimed = 0;
  constructor(
    readonly symbols: readonly string[],
    readonly files: ExchangeFiles,
  ) {}
}

/**
 * Records what exchanges sent into a recording folder (format version 1, docs/recording.md). The
 * recording calls are synchronous and never throw or wait: they append to a buffer that a timer
 * compresses and writes every `flushIntervalMs`. A disk error is reported once through `onError`; the
 * writer then drops (and counts) entries while the caller carries on.
 */
export class RecordingWriter {
  private readonly exchanges = new Map<string, ExchangeState>();
  private readonly clock: Clock;
  private readonly flushIntervalMs: number;
  private readonly maxBufferedBytes: number;
  private state: 'open' | 'stopped' | 'closing' | 'closed' = 'open';
  private buffered = 0;
  private timer: TimerHandle | undefined;
  private chain: Promise<void> = Promise.resolve();
  private closing: Promise<RecordingManifest> | undefined;
  private manifestMinute: number;
  private readonly startedAt: string;
  private endedAt: string | null = null;
  private readonly reported = new Set<string>();

  private constructor(private readonly options: RecordingWriterOptions) {
    this.clock = options.clock ?? systemClock;
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 64 * 1024 * 1024;
    this.startedAt = new Date(this.clock.now()).toISOString();
    this.manifestMinute = Math.floor(this.clock.now() / MINUTE_MS);
    const encoder = new BatchEncoder();
    const level = options.compressionLevel ?? 6;
    for (const [id, symbols] of Object.entries(options.exchanges)) {
      this.exchanges.set(
        id,
        new ExchangeState([...symbols], new ExchangeFiles(options.dir, id, encoder, level)),
      );
    }
  }

  /** Creates the folder and the manifest, and starts the flush timer. Throws ConfigError for a bad folder. */
  static async open(options: RecordingWriterOptions): Promise<RecordingWriter> {
    const ids = Object.keys(options.exchanges);
    const badId = ids.find((id) => !EXCHANGE_ID_PATTERN.test(id));
    if (badId !== undefined)
      throw new ConfigError(`cannot record exchange "${badId}": ids are lower-case letters, digits, - and _`);
    const interval = options.flushIntervalMs ?? 1000;
    if (!(interval > 0)) throw new ConfigError(`flushIntervalMs must be > 0, got ${interval}`);
    await prepareRecordingDirectory(options.dir, ids);
    const writer = new RecordingWriter(options);
    try {
      await writeManifest(options.dir, writer.manifest());
    } catch (error) {
      throw new ConfigError(
        `cannot write the manifest in ${options.dir}: ${recordingWriteError(options.dir, error).message}`,
        {
          cause: error,
        },
      );
    }
    writer.schedule();
    return writer;
  }

  /** A WebSocket frame. `data` must not be changed afterwards (it is written at the next flush). */
  frame(exchange: string, conn: number, receivedAt: number, data: Buffer | string, binary: boolean): void {
    this.add(exchange, receivedAt, binary ? 'b' : 'w', conn, '', data);
  }

  opened(exchange: string, conn: number, at: number, url: string): void {
    this.add(exchange, at, 'o', conn, url, '');
  }

  closed(exchange: string, conn: number, at: number, code: number): void {
    this.add(exchange, at, 'c', conn, String(code), '');
  }

  /** A REST response; `path` includes the query string. */
  rest(
    exchange: string,
    at: number,
    status: number,
    method: string,
    path: string,
    body: Buffer | string,
  ): void {
    this.add(exchange, at, 'r', -1, `${status} ${method} ${path}`, body);
  }

  /** Writes what is buffered now (the timer does this every `flushIntervalMs`). */
  flush(): Promise<void> {
    this.chain = this.chain.then(() => this.writeBuffered());
    return this.chain;
  }

  /** Writes everything, ends the files and writes the final manifest. Leaves no timer or open file. */
  close(): Promise<RecordingManifest> {
    this.closing ??= this.finish();
    return this.closing;
  }

  /** The manifest as it would be written now. */
  manifest(): RecordingManifest {
    const exchanges: RecordingManifest['exchanges'] = {};
    const counts: RecordingManifest['counts'] = {};
    const dropped: RecordingManifest['dropped'] = {};
    const retimed: RecordingManifest['retimed'] = {};
    for (const [id, state] of this.exchanges) {
      exchanges[id] = { symbols: [...state.symbols], files: [...state.files.files] };
      counts[id] = { ...state.files.counts };
      dropped[id] = state.dropped;
      retimed[id] = state.retimed;
    }
    return {
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      createdBy: { ...this.options.versions },
      market: this.options.market,
      startedAt: this.startedAt,
      endedAt: this.endedAt,
      exchanges,
      counts,
      dropped,
      retimed,
      ...(this.options.notes === undefined ? {} : { notes: this.options.notes }),
      ...(this.options.marketTime === undefined ? {} : { marketTime: { ...this.options.marketTime } }),
    };
  }

  private add(
    exchange: string,
    t: number,
    kind: EntryKind,
    conn: number,
    meta: string,
    payload: Buffer | string,
  ): void {
    const state = this.exchanges.get(exchange);
    if (state === undefined) {
      this.report(
        `exchange:${exchange}`,
        () =>
          new RecordingError(
            'RECORDING_WRITE',
            `not recorded: exchange "${exchange}" was not declared when the recording was opened`,
          ),
      );
      return;
    }
    try {
      const size = payload.length + meta.length + ENTRY_OVERHEAD;
      if (this.state !== 'open' || this.buffered + size > this.maxBufferedBytes) {
        state.dropped++;
        if (this.state === 'open') this.report('behind', () => this.behindError());
        return;
      }
      if (t >= state.lastT) state.lastT = t;
      else state.sorted = false;
      state.entries.push({ t, kind, conn, meta, payload });
      this.buffered += size;
    } catch (error) {
      // A caller's bug (no payload) must not reach the live path: dropped, counted, told once.
      state.dropped++;
      this.report('bad-call', () => new RecordingError('RECORDING_WRITE', `not recorded: ${String(error)}`));
    }
  }

  private schedule(): void {
    if (this.state !== 'open') return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.flush().then(() => this.schedule());
    }, this.flushIntervalMs);
  }

  private async writeBuffered(): Promise<void> {
    if (this.state === 'stopped' || this.state === 'closed') return;
    let current: ExchangeState | undefined;
    let batch: PendingEntry[] = [];
    try {
      await stat(this.options.dir).catch((error: unknown) => {
        throw recordingWriteError(this.options.dir, error);
      });
      for (const state of this.exchanges.values()) {
        current = state;
        batch = this.take(state);
        if (batch.length > 0) await state.files.append(batch);
        batch = [];
      }
      const minute = Math.floor(this.clock.now() / MINUTE_MS);
      if (minute !== this.manifestMinute && this.state === 'open') {
        this.manifestMinute = minute;
        await writeManifest(this.options.dir, this.manifest()).catch((error: unknown) => {
          throw recordingWriteError(`${this.options.dir}/manifest.json`, error);
        });
      }
    } catch (error) {
      if (current) current.dropped += batch.length;
      this.stop(error);
    }
  }

  private take(state: ExchangeState): PendingEntry[] {
    const entries = state.entries;
    if (entries.length === 0) return entries;
    for (const entry of entries) this.buffered -= entry.payload.length + entry.meta.length + ENTRY_OVERHEAD;
    const prepared = prepareBatch(entries, state.sorted, state.floor);
    state.retimed += prepared.retimed;
    state.floor = prepared.floor;
    state.lastT = prepared.floor;
    state.entries = [];
    state.sorted = true;
    return entries;
  }

  private stop(error: unknown): void {
    const failure = error instanceof RecordingError ? error : recordingWriteError(this.options.dir, error);
    if (this.state === 'open' || this.state === 'closing') {
      this.state = 'stopped';
      for (const state of this.exchanges.values()) {
        state.dropped += state.entries.length;
        state.entries = [];
      }
      this.buffered = 0;
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.report('disk', () => failure);
  }

  private async finish(): Promise<RecordingManifest> {
    if (this.state === 'open') this.state = 'closing'; // no new entries, no new timer
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
    if (this.state === 'closing') {
      try {
        for (const state of this.exchanges.values()) await state.files.finish();
      } catch (error) {
        this.stop(error);
      }
    }
    for (const state of this.exchanges.values()) await state.files.abandon();
    this.endedAt = new Date(this.clock.now()).toISOString();
    const manifest = this.manifest();
    // Also after a disk error: the manifest then still tells how many entries were dropped.
    await writeManifest(this.options.dir, manifest).catch((error: unknown) =>
      this.stop(recordingWriteError(`${this.options.dir}/manifest.json`, error)),
    );
    this.state = 'closed';
    return manifest;
  }

  private behindError(): RecordingError {
    return new RecordingError(
      'RECORDING_WRITE',
      `recording is falling behind: more than ${Math.round(this.maxBufferedBytes / 1048576)} MiB wait for the disk ` +
        `in ${this.options.dir}. Entries are dropped (and counted in the manifest) until it catches up; ` +
        'record to a faster disk or fewer symbols.',
      this.options.dir,
    );
  }

  private report(key: string, make: () => RecordingError): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    try {
      this.options.onError(make());
    } catch {
      // The caller's handler must not break recording.
    }
  }
}
