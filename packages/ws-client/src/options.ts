import {
  type Clock,
  ConfigError,
  type Logger,
  noopLogger,
  optionalPositiveNumber,
  positiveNumber,
  systemClock,
} from '@arbitrage/core';
import type { SocketFactory } from './socket-like.js';

export interface HeartbeatOptions {
  /** How often to send a heartbeat (ws ping frame, or the subclass's `sendHeartbeat`), ms. */
  readonly intervalMs: number;
  /**
   * How long a heartbeat may go unanswered, ms: when neither a pong nor any other inbound frame
   * arrives within this time after a heartbeat was sent, the socket is terminated and re-dialled.
   */
  readonly timeoutMs: number;
}

export interface ReconnectBackoffOptions {
  /** First reconnect delay, ms (default 1000). */
  readonly baseMs?: number;
  /** Largest reconnect delay, ms (default 30000). */
  readonly capMs?: number;
  /** Fraction of each delay randomised, 0..1 (default 0.5: delay in [ceiling/2, ceiling]). */
  readonly jitter?: number;
  /** Growth per attempt (default 2). */
  readonly factor?: number;
  /** Random source in [0, 1); injectable so tests get exact delays. */
  readonly random?: () => number;
}

export interface WebSocketClientOptions {
  /** ws:// or wss:// URL, or a function evaluated before every dial (rotating hosts, fresh tokens). */
  readonly url: string | (() => string);
  /** Names the client in logs and errors, e.g. `'binance-ws'`. */
  readonly name: string;
  /** Opens each connection's socket (default a `ws` WebSocket): replay and tests inject their own. */
  readonly socketFactory?: SocketFactory;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly backoff?: ReconnectBackoffOptions;
  /**
   * Reconnects allowed in a row without a healthy connection before the client gives up and goes
   * to `closed` (default Infinity: never give up). 0 means never reconnect.
   */
  readonly maxReconnectAttempts?: number;
  /** Least time between two dials, ms, whatever the backoff says (default 1000; exchanges limit connects per IP). */
  readonly minConnectIntervalMs?: number;
  /** Handshake deadline, ms (default 10000). */
  readonly connectTimeoutMs?: number;
  /** Heartbeat policy (default `{ intervalMs: 15000, timeoutMs: 45000 }`); `false` disables it. */
  readonly heartbeat?: HeartbeatOptions | false;
  /**
   * Data-staleness deadline, ms: while topics are subscribed, no data message for this long
   * terminates the socket and reconnects. Heartbeat replies never count as data. Default: off.
   */
  readonly staleAfterMs?: number;
  /**
   * Largest acceptable lag between the exchange's timestamp of a data message (see
   * `exchangeTimeOf`) and its arrival, ms. A message lagging more is still delivered but does not
   * count as fresh, so a feed that keeps falling behind trips `staleAfterMs`. Default: off.
   */
  readonly maxLagMs?: number;
  /** Messages `send`/`sendRaw` may queue while not open or while paced (default 256); more are dropped. */
  readonly maxQueuedMessages?: number;
  /**
   * Outgoing messages per rolling second, ping and pong frames included (Binance counts them toward
   * its 5/s). Default Infinity. A 1008 close halves it.
   */
  readonly maxOutboundPerSecond?: number;
  /** Largest inbound message, bytes (default 1 MiB); a larger frame is a protocol error (close 1009). */
  readonly maxPayload?: number;
  /** permessage-deflate negotiation (default false: costs CPU and memory per socket). */
  readonly perMessageDeflate?: boolean;
  /** Skip UTF-8 validation of text frames (default false); safe only for trusted peers. */
  readonly skipUTF8Validation?: boolean;
  /** Extra HTTP headers for the handshake. */
  readonly headers?: Readonly<Record<string, string>>;
  /** How long `disconnect()` waits for the server's close frame before terminating, ms (default 1000). */
  readonly closeTimeoutMs?: number;
  /**
   * Reset the backoff on the first data message of a connection (default true). An adapter that
   * knows better (e.g. only once a book is synced) sets false and calls `markHealthy()` itself.
   */
  readonly healthyOnFirstData?: boolean;
}

/** Options with every default applied and validated. */
export interface ResolvedOptions {
  readonly url: string | (() => string);
  readonly name: string;
  readonly socketFactory: SocketFactory | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly backoff: {
    baseMs: number;
    capMs: number;
    jitter: number;
    factor: number;
    random: (() => number) | undefined;
  };
  readonly maxReconnectAttempts: number;
  readonly minConnectIntervalMs: number;
  readonly connectTimeoutMs: number;
  readonly heartbeat: HeartbeatOptions | undefined;
  readonly staleAfterMs: number | undefined;
  readonly maxLagMs: number;
  readonly maxQueuedMessages: number;
  readonly maxOutboundPerSecond: number;
  readonly maxPayload: number;
  readonly perMessageDeflate: boolean;
  readonly skipUTF8Validation: boolean;
  readonly headers: Readonly<Record<string, string>>;
  readonly closeTimeoutMs: number;
  readonly healthyOnFirstData: boolean;
}

export const DEFAULTS = {
  backoffBaseMs: 1_000,
  backoffCapMs: 30_000,
  backoffJitter: 0.5,
  backoffFactor: 2,
  minConnectIntervalMs: 1_000,
  connectTimeoutMs: 10_000,
  heartbeat: { intervalMs: 15_000, timeoutMs: 45_000 },
  maxQueuedMessages: 256,
  maxPayload: 1024 * 1024,
  closeTimeoutMs: 1_000,
} as const;

const MS = { unit: 'ms' } as const;
const MS_OR_ZERO = { unit: 'ms', allowZero: true } as const;

function validateUrl(name: string, url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new ConfigError(`${name}: url "${url}" is not a valid URL; use ws://host:port/path or wss://...`, {
      cause,
    });
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new ConfigError(`${name}: url "${url}" must start with ws:// or wss://`);
  }
}

/** Applies defaults and rejects impossible values with a ConfigError that names the option. */
export function resolveOptions(options: WebSocketClientOptions): ResolvedOptions {
  const name = options.name;
  if (typeof name !== 'string' || name.length === 0) throw new ConfigError('name must be a non-empty string');
  if (typeof options.url === 'string') validateUrl(name, options.url);
  else if (typeof options.url !== 'function')
    throw new ConfigError(`${name}: url must be a string or a function`);
  const backoff = options.backoff ?? {};
  const baseMs = positiveNumber(name, 'backoff.baseMs', backoff.baseMs, DEFAULTS.backoffBaseMs, MS);
  const capMs = positiveNumber(
    name,
    'backoff.capMs',
    backoff.capMs,
    Math.max(DEFAULTS.backoffCapMs, baseMs),
    MS,
  );
  if (capMs < baseMs)
    throw new ConfigError(`${name}: backoff.capMs (${capMs}) must be >= backoff.baseMs (${baseMs})`);
  const jitter = backoff.jitter ?? DEFAULTS.backoffJitter;
  if (!(jitter >= 0 && jitter <= 1))
    throw new ConfigError(`${name}: backoff.jitter must be within 0..1; got ${jitter}`);
  const factor = backoff.factor ?? DEFAULTS.backoffFactor;
  if (!(factor >= 1)) throw new ConfigError(`${name}: backoff.factor must be >= 1; got ${factor}`);
  let heartbeat: HeartbeatOptions | undefined;
  if (options.heartbeat !== false) {
    const given = options.heartbeat ?? DEFAULTS.heartbeat;
    heartbeat = {
      intervalMs: positiveNumber(
        name,
        'heartbeat.intervalMs',
        given.intervalMs,
        DEFAULTS.heartbeat.intervalMs,
        MS,
      ),
      timeoutMs: positiveNumber(
        name,
        'heartbeat.timeoutMs',
        given.timeoutMs,
        DEFAULTS.heartbeat.timeoutMs,
        MS,
      ),
    };
  }
  return {
    socketFactory: options.socketFactory,
    url: options.url,
    name,
    clock: options.clock ?? systemClock,
    logger: (options.logger ?? noopLogger).child({ client: name }),
    backoff: { baseMs, capMs, jitter, factor, random: backoff.random },
    maxReconnectAttempts: positiveNumber(
      name,
      'maxReconnectAttempts',
      options.maxReconnectAttempts,
      Number.POSITIVE_INFINITY,
      { allowZero: true, allowInfinity: true },
    ),
    minConnectIntervalMs: positiveNumber(
      name,
      'minConnectIntervalMs',
      options.minConnectIntervalMs,
      DEFAULTS.minConnectIntervalMs,
      MS_OR_ZERO,
    ),
    connectTimeoutMs: positiveNumber(
      name,
      'connectTimeoutMs',
      options.connectTimeoutMs,
      DEFAULTS.connectTimeoutMs,
      MS,
    ),
    heartbeat,
    staleAfterMs: optionalPositiveNumber(name, 'staleAfterMs', options.staleAfterMs, MS),
    maxLagMs: positiveNumber(name, 'maxLagMs', options.maxLagMs, Number.POSITIVE_INFINITY, {
      ...MS,
      allowInfinity: true,
    }),
    maxQueuedMessages: positiveNumber(
      name,
      'maxQueuedMessages',
      options.maxQueuedMessages,
      DEFAULTS.maxQueuedMessages,
      { allowZero: true, unit: 'messages' },
    ),
    maxOutboundPerSecond: positiveNumber(
      name,
      'maxOutboundPerSecond',
      options.maxOutboundPerSecond,
      Number.POSITIVE_INFINITY,
      { allowInfinity: true, unit: 'messages per second' },
    ),
    maxPayload: positiveNumber(name, 'maxPayload', options.maxPayload, DEFAULTS.maxPayload, {
      unit: 'bytes',
    }),
    perMessageDeflate: options.perMessageDeflate ?? false,
    skipUTF8Validation: options.skipUTF8Validation ?? false,
    headers: options.headers ?? {},
    closeTimeoutMs: positiveNumber(
      name,
      'closeTimeoutMs',
      options.closeTimeoutMs,
      DEFAULTS.closeTimeoutMs,
      MS,
    ),
    healthyOnFirstData: options.healthyOnFirstData ?? true,
  };
}
