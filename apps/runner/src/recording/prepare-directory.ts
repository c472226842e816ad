import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '@arbitrage/core';
import { errnoOf } from './disk-error.js';
import { MANIFEST_FILE } from './manifest.js';

/**
 * Makes `dir` ready for a new recording: created when missing, used when empty; refused when it is a
 * file, holds a recording (never overwritten) or holds anything else.
 */
export async function prepareRecordingDirectory(dir: string, exchanges: readonly string[]): Promise<void> {
  const existing = await stat(dir).catch((error: unknown) => {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw new ConfigError(`cannot record into ${dir} (${errnoOf(error)}): choose another folder`, {
      cause: error,
    });
  });
  if (existing && !existing.isDirectory()) {
    throw new ConfigError(`cannot record into ${dir}: it is a file, not a folder; choose a new folder`);
  }
  if (existing) {
    const names = await readdir(dir);
    if (names.includes(MANIFEST_FILE)) {
      throw new ConfigError(
        `${dir} already holds a recording, which is never overwritten: choose a new folder, or delete that one first`,
      );
    }
    if (names.length > 0) {
      throw new ConfigError(
        `cannot record into ${dir}: the folder is not empty and is not a recording; choose a new or empty folder`,
      );
    }
  }
  try {
    for (const exchange of exchanges) await mkdir(path.join(dir, exchange), { recursive: true });
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new ConfigError(
      `cannot create the recording folder ${dir} (${errnoOf(error)}): choose a folder you can write to`,
      {
        cause: error,
      },
    );
  }
}
