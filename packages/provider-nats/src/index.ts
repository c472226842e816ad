export {
  NatsFeedPublisher,
  type NatsFeedPublisherOptions,
  type PublishedBook,
  type PublishedProvider,
} from './feed-publisher.js';
export type { NatsConnectionSettings } from './nats-connection.js';
export { NatsMarketDataProvider, type NatsMarketDataProviderOptions } from './nats-provider.js';
export {
  type BookMessage,
  type Decoded,
  decodeBook,
  decodeHealth,
  decodeSnapshotReply,
  encode,
  type HealthMessage,
  type SnapshotReply,
  WIRE_VERSION,
} from './wire/messages.js';
export {
  DEFAULT_SUBJECT_PREFIX,
  type InstrumentSubjects,
  instrumentFromTokens,
  instrumentSubjects,
  instrumentTokens,
} from './wire/subjects.js';
