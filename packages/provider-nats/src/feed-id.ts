import { randomBytes } from 'node:crypto';

/** A new id for one run of a feed: consumers see a restarted feed by its new id. */
export function newFeedId(): string {
  return randomBytes(6).toString('hex');
}
