import { ArbitrageError } from '@arbitrage/core';

/**
 * A recording cannot be read (not a recording, a newer format, corrupt or out-of-order data) or can no
 * longer be written (a disk error). The message names the file, and the offset or line where known.
 */
export class RecordingError extends ArbitrageError {
  constructor(
    code: 'RECORDING_NOT_FOUND' | 'RECORDING_VERSION' | 'RECORDING_CORRUPT' | 'RECORDING_WRITE',
    message: string,
    readonly file?: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
