import type { ClientBook, ClientConfig } from '../protocol.js';
import type { Recorder } from './recorder.js';

/** A running client: it calls `recorder.record(symbol, id)` each time a book reflects a newer update. */
export interface RunningClient {
  /** Top `levels` per side of each symbol's book (undefined for a client that keeps none). */
  books(levels: number): Record<string, ClientBook> | undefined;
  notes(): Record<string, string | number>;
  close(): Promise<void>;
}

export type ClientFactory = (config: ClientConfig, recorder: Recorder) => Promise<RunningClient>;

/**
 * Loads the libraries a client will use for `config`, so that timed runs start with them loaded for
 * every client alike (ccxt's are loaded with its module; ours import the exchange package lazily).
 */
export type ClientPreload = (config: ClientConfig) => Promise<void>;
