import { BaseWebSocketClient } from '../base-client.js';
import type { WebSocketError } from '../errors.js';
import type { CloseEvent, MessageMeta, ReconnectEvent, StateChangeEvent } from '../events.js';
import type { WebSocketClientOptions } from '../options.js';

export interface RecordingClientOptions extends WebSocketClientOptions {
  /** Send text `PING` as heartbeat and treat `{"status":"UP"}` as its reply (Upbit style). */
  readonly textHeartbeat?: boolean;
  /** Messages with an `ack` field are not data (subscription acknowledgements). */
  readonly acksAreNotData?: boolean;
}

/**
 * A concrete client for tests: subscribes with `{op:'subscribe', args}` and records every message,
 * meta, state change, error, close and reconnect it sees.
 */
export class RecordingClient extends BaseWebSocketClient {
  readonly messages: unknown[] = [];
  readonly metas: MessageMeta[] = [];
  readonly states: StateChangeEvent[] = [];
  readonly errors: WebSocketError[] = [];
  readonly closes: CloseEvent[] = [];
  readonly reconnects: ReconnectEvent[] = [];
  readonly opens: number[] = [];
  onMessageHook: ((message: unknown) => void) | undefined;
  onOpenHook: ((generation: number) => void | Promise<void>) | undefined;
  private readonly textHeartbeat: boolean;
  private readonly acksAreNotData: boolean;

  constructor(options: RecordingClientOptions) {
    super(options);
    this.textHeartbeat = options.textHeartbeat ?? false;
    this.acksAreNotData = options.acksAreNotData ?? false;
    this.on('state', (event) => this.states.push(event));
    this.on('error', (error) => this.errors.push(error));
    this.on('close', (event) => this.closes.push(event));
    this.on('reconnect', (event) => this.reconnects.push(event));
    this.on('open', (event) => this.opens.push(event.generation));
  }

  get currentGeneration(): number {
    return this.generation;
  }

  isCurrent(generation: number): boolean {
    return this.isCurrentGeneration(generation);
  }

  errorCodes(): string[] {
    return this.errors.map((error) => error.code);
  }

  /** What an adapter calls once its own notion of "healthy" holds (e.g. a synced book). */
  healthy(): void {
    this.markHealthy();
  }

  restart(reason: string): void {
    this.restartConnection(reason);
  }

  fail(message: string, reconnect: boolean): void {
    this.raiseProtocolError(message, { serverCode: 'TEST', reconnect });
  }

  protected subscribeMessages(topics: readonly string[], allTopics: readonly string[]): unknown[] {
    return [{ op: 'subscribe', args: topics, all: allTopics.length }];
  }

  protected unsubscribeMessages(topics: readonly string[], allTopics: readonly string[]): unknown[] {
    return [{ op: 'unsubscribe', args: topics, all: allTopics.length }];
  }

  protected onMessage(message: unknown, meta: MessageMeta): void {
    this.messages.push(message);
    this.metas.push({ ...meta });
    this.onMessageHook?.(message);
  }

  protected override onOpen(generation: number): void | Promise<void> {
    return this.onOpenHook?.(generation);
  }

  protected override isHeartbeatReply(message: unknown): boolean {
    return (
      this.textHeartbeat &&
      typeof message === 'object' &&
      message !== null &&
      (message as { status?: unknown }).status === 'UP'
    );
  }

  protected override isDataMessage(message: unknown): boolean {
    return !(this.acksAreNotData && typeof message === 'object' && message !== null && 'ack' in message);
  }

  /** Messages carrying a numeric `ts` expose it as their exchange time. */
  protected override exchangeTimeOf(message: unknown): number | undefined {
    if (typeof message !== 'object' || message === null) return undefined;
    const ts = (message as { ts?: unknown }).ts;
    return typeof ts === 'number' ? ts : undefined;
  }

  protected override sendHeartbeat(): void {
    if (this.textHeartbeat) this.sendRaw('PING', this.generation);
    else super.sendHeartbeat();
  }
}

/** Test-scale timings from docs/faults.md: P=100 ms, D=300 ms, B=20 ms, C=500 ms. */
export const TEST_TIMINGS = {
  heartbeat: { intervalMs: 100, timeoutMs: 300 },
  backoff: { baseMs: 20, capMs: 500 },
  minConnectIntervalMs: 0,
  connectTimeoutMs: 2_000,
  closeTimeoutMs: 300,
} as const;
