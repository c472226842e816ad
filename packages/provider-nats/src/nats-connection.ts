import { type Logger, NetworkError } from '@arbitrage/core';
import type { NatsConnection, NodeConnectionOptions } from '@nats-io/transport-node';

export type { Msg, NatsConnection, Status, Subscription } from '@nats-io/transport-node';

export interface NatsConnectionSettings {
  /** NATS server URL(s): 'nats://127.0.0.1:4222'. */
  readonly servers: string | readonly string[];
  /** Client name the server's monitoring shows. */
  readonly name: string;
  /** Wait between reconnect attempts (default 250 ms): books are worthless while it waits. */
  readonly reconnectTimeWaitMs?: number;
}

/**
 * Connects to NATS, loading the client only now: users who never choose NATS never load it. The
 * client reconnects forever (a feed outlives a server restart); a first connection that fails is a
 * NetworkError naming the servers.
 */
export async function openNatsConnection(settings: NatsConnectionSettings): Promise<NatsConnection> {
  const { connect } = await import('@nats-io/transport-node');
  const servers = typeof settings.servers === 'string' ? [settings.servers] : [...settings.servers];
  const options: NodeConnectionOptions = {
    servers,
    name: settings.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: settings.reconnectTimeWaitMs ?? 250,
    reconnectJitter: 50,
  };
  try {
    return await connect(options);
  } catch (error) {
    throw new NetworkError(
      `cannot connect to NATS at ${servers.join(', ')}: ${(error as Error).message}; is nats-server running there?`,
      { cause: error },
    );
  }
}

/** What an owner of a connection does when the client loses or regains the server. */
export interface ConnectionEvents {
  disconnected(): void;
  reconnected(): void;
  slowConsumer?(pending: number): void;
}

/**
 * Calls `events` on the connection's status changes until it closes. Once `current()` is false
 * (its owner stopped, or started again on another connection) the rest is ignored.
 */
export async function followConnectionStatus(
  connection: NatsConnection,
  events: ConnectionEvents,
  current: () => boolean,
  logger: Logger,
): Promise<void> {
  try {
    for await (const status of connection.status()) {
      if (!current()) return;
      if (status.type === 'disconnect') events.disconnected();
      else if (status.type === 'reconnect') events.reconnected();
      else if (status.type === 'slowConsumer') events.slowConsumer?.(status.pending);
    }
  } catch (error) {
    logger.debug({ err: error }, 'NATS status stream ended');
  }
}
