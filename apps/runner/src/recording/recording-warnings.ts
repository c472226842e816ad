/**
 * Something the reader skipped because skipping is safe, counted: `truncated_line` and
 * `truncated_member` (the end of a recording that crashed), `empty_file`, `not_closed` (no end time in
 * the manifest), `dropped_entries` and `retimed_entries` (from the manifest's counts).
 */
export interface RecordingWarning {
  readonly code:
    | 'truncated_line'
    | 'truncated_member'
    | 'empty_file'
    | 'not_closed'
    | 'dropped_entries'
    | 'retimed_entries';
  readonly file: string;
  /** `truncated_line`: uncompressed byte offset in the file; `truncated_member`: compressed offset of the member. */
  readonly offset?: number;
  readonly count: number;
}

/** Warnings keyed by what they are about, so that reading a recording twice does not count them twice. */
export class RecordingWarnings {
  private readonly byKey = new Map<string, RecordingWarning>();

  note(warning: RecordingWarning): void {
    this.byKey.set(`${warning.code}\u0000${warning.file}\u0000${warning.offset ?? ''}`, warning);
  }

  list(): RecordingWarning[] {
    return [...this.byKey.values()];
  }
}
