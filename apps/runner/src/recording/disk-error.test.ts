import { expect, it } from 'vitest';
import { recordingWriteError } from './disk-error.js';

function systemError(code: string): Error {
  return Object.assign(new Error(`${code}: something`), { code });
}

it.each([
  ['EACCES', 'EACCES: no permission to write there: record into a folder you can write to'],
  ['EROFS', 'EROFS: the file system is read-only: record into a folder on a writable disk'],
  ['ENOSPC', 'ENOSPC: the disk is full: free some space, or record into a folder on another disk'],
  ['EMFILE', 'EMFILE: EMFILE: something; check the disk'],
])('says what %s means and what to do, naming the file', (code, text) => {
  const error = recordingWriteError('/data/rec/upbit/2026-12-06T08.tsv.gz', systemError(code));
  expect(error.message).toBe(
    `recording stopped: could not write /data/rec/upbit/2026-12-06T08.tsv.gz (${text}). The run goes on; ` +
      'entries from now on are dropped and counted in the manifest.',
  );
  expect(error.file).toBe('/data/rec/upbit/2026-12-06T08.tsv.gz');
  expect(error.code).toBe('RECORDING_WRITE');
});
