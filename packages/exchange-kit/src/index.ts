export { applyDelta, type BookLevels, crossedLevels, replaceBook } from './book/apply-event.js';
export { BookEvent } from './book/book-event.js';
export {
  type BookIdSource,
  type ContinuityRule,
  rangeContinuity,
  SequencedSync,
  type SequencedSyncOptions,
  type SyncListener,
  type SyncPhase,
  type SyncSnapshot,
  type SyncStats,
} from './book/sequenced-sync.js';
export { BookHaltedError, SnapshotSyncError } from './book/sync-errors.js';
export { canonicalId, formatId, idToNumber, nextId, parseUpdateId, type UpdateId } from './book/update-id.js';
export { checkWsUrl, type EndpointOwner, restOrigin } from './plugin/endpoint-options.js';
export { MARKETS_KEPT_WARNING, warnMarketsKept } from './plugin/markets-kept.js';
export { RunningStreams } from './plugin/running-streams.js';
// REST pipeline (axios), signing
export * from './rest/index.js';
export {
  ascii,
  bytesEqual,
  bytesEqualText,
  charCodes,
  DECIMAL_PATTERN,
  exactDecimal,
  InternedStrings,
  latin1,
  levelsWithin,
  MAX_SKIP_NESTING,
  matchLiteral,
  parseDecimal,
  parseDecimalString,
  readJsonNumber,
  scanLevels,
  skipJsonValue,
  skipPlainString,
  skipSpace,
} from './scan/index.js';
export { withDefaultPath } from './socket/endpoint.js';
export {
  type FrameHandler,
  type FrameKind,
  FrameSocket,
  type FrameSocketOptions,
} from './socket/frame-socket.js';
export {
  type SubscriptionMethod,
  SubscriptionRequests,
  type SubscriptionRequestsOptions,
} from './socket/subscription-requests.js';
export {
  InstrumentTracker,
  type InstrumentTrackerOptions,
  positiveMs,
  type TrackerStats,
} from './tracker/instrument-tracker.js';
export { type LinkState, TrackedInstrument } from './tracker/tracked-instrument.js';
export { TrackedStream } from './tracker/tracked-stream.js';
