import { RecordingError } from './recording-error.js';

const ADVICE: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full: free some space, or record into a folder on another disk',
  EDQUOT: 'the disk quota is used up: free some space, or record into a folder on another disk',
  EACCES: 'no permission to write there: record into a folder you can write to',
  EPERM: 'no permission to write there: record into a folder you can write to',
  EROFS: 'the file system is read-only: record into a folder on a writable disk',
  ENOENT: 'the recording folder was removed or renamed while recording',
  EIO: 'the disk reported an I/O error: check the disk',
};

/** The code of a Node system error ('ENOSPC'), or 'unknown'. */
export function errnoOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown';
}

/** What to say when writing `file` failed: the file, the errno, what it means and what to do. */
export function recordingWriteError(file: string, error: unknown): RecordingError {
  const code = errnoOf(error);
  const advice = ADVICE[code] ?? `${error instanceof Error ? error.message : String(error)}; check the disk`;
  return new RecordingError(
    'RECORDING_WRITE',
    `recording stopped: could not write ${file} (${code}: ${advice}). The run goes on; entries from now on ` +
      'are dropped and counted in the manifest.',
    file,
    { cause: error },
  );
}
