import { isUtf8 } from 'node:buffer';
import type { PendingEntry } from './batch-encoder.js';

/** Latest time (year 2096) whose µs count rounds exactly from a double (t × 1000): see formatTime. */
const MAX_TIME = 4e12;

/**
 * Readies one exchange's flushed entries for the file (off the caller's path): fixes the final kind
 * (`u`/`b`, `r`/`R`), rounds times to the 3 decimals the file keeps, sorts by time (stable: connections and REST replies can hand entries in slightly
 * out of order), and raises a time below `floor` (the last time written) or not a time to the previous
 * one, so that every file is in time order. Returns how many times it raised and the new floor.
 */
export function prepareBatch(
  entries: PendingEntry[],
  sorted: boolean,
  floor: number,
): { retimed: number; floor: number } {
  let retimed = 0;
  for (const entry of entries) {
    if (!(entry.t >= 0 && entry.t < MAX_TIME)) {
      entry.t = Number.isFinite(floor) ? floor : 0;
      retimed++;
    } else {
      entry.t = Math.round(entry.t * 1000) / 1000;
    }
    if (entry.kind === 'b' && (typeof entry.payload === 'string' || isUtf8(entry.payload))) entry.kind = 'u';
    else if (entry.kind === 'r' && typeof entry.payload !== 'string' && !isUtf8(entry.payload))
      entry.kind = 'R';
  }
  if (!sorted) entries.sort((a, b) => a.t - b.t);
  let last = floor;
  for (const entry of entries) {
    if (entry.t < last) {
      entry.t = last;
      retimed++;
    } else {
      last = entry.t;
    }
  }
  return { retimed, floor: last };
}
