// The entry model of recording format version 1 (docs/recording.md).

/**
 * `w` WebSocket text frame; `u` WebSocket binary frame whose bytes are UTF-8 (Upbit's JSON), stored as
 * text; `b` any other binary frame (base64); `o` connection opened (meta: URL); `c` closed (meta: close
 * code); `r` REST response (meta: `<status> <METHOD> <path?query>`, body as text); `R` the same with a
 * body that is not UTF-8 (base64).
 */
export type EntryKind = 'w' | 'u' | 'b' | 'o' | 'c' | 'r' | 'R';

export const ENTRY_KINDS: readonly EntryKind[] = ['w', 'u', 'b', 'o', 'c', 'r', 'R'];

export type EntryCounts = Record<EntryKind, number>;

export function zeroCounts(): EntryCounts {
  return { w: 0, u: 0, b: 0, o: 0, c: 0, r: 0, R: 0 };
}

/** One recorded entry as the reader returns it. */
export interface RecordedEntry {
  /** Local arrival time, ms since epoch (up to 3 decimals). */
  readonly t: number;
  readonly exchange: string;
  readonly kind: EntryKind;
  /** Connection id (per exchange, increasing); null for REST. */
  readonly conn: number | null;
  /** `o`: URL; `c`: close code; `r`/`R`: `<status> <METHOD> <path?query>`; frames: ''. */
  readonly meta: string;
  /** Frames (`w`, `u`, `b`) and `R`: the exact bytes; `r`: the body text; `o`, `c`: ''. */
  readonly payload: Buffer | string;
}

/** Frames arrive as bytes (`w`, `u`, `b`); a frame handler gets `payload` as is. */
export function isBinaryFrame(kind: EntryKind): boolean {
  return kind === 'u' || kind === 'b';
}

/** File name of the hour that contains `t`: `2026-12-06T08.tsv.gz` (UTC). */
export function hourFileName(hour: number): string {
  return `${new Date(hour * 3_600_000).toISOString().slice(0, 13)}.tsv.gz`;
}

export const HOUR_FILE_PATTERN = /^(\d{4}-\d{2}-\d{2}T\d{2})\.tsv\.gz$/;

/** Exchange ids become directory names: nothing that could leave the recording folder. */
export const EXCHANGE_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
