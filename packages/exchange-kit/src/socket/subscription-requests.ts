import { Backoff, type BackoffOptions, type Clock, type TimerHandle } from '@arbitrage/core';

export type SubscriptionMethod = 'subscribe' | 'unsubscribe';

export interface SubscriptionRequestsOptions {
  readonly clock: Clock;
  /** Sends one request on the open connection; false when it could not be sent. */
  readonly send: (method: SubscriptionMethod, topics: readonly string[], id: number) => boolean;
  /** A subscribe request was confirmed (`ok`) or failed (no reply in time, or an error reply). */
  readonly settled: (topics: readonly string[], ok: boolean, reason?: string) => void;
  /** Least time between two requests, ms (exchanges limit messages per second). */
  readonly intervalMs: number;
  /** Topics per request. */
  readonly topicsPerRequest: number;
  /** A subscribe with no reply after this long fails its topics, ms. */
  readonly ackTimeoutMs: number;
  /** Backoff before failed topics are asked for again. */
  readonly retryBackoff: BackoffOptions;
}

interface Request {
  readonly method: SubscriptionMethod;
  readonly topics: readonly string[];
}

interface Pending extends Request {
  readonly timer: TimerHandle | undefined;
  /** Topics not answered yet (a batch may be answered one topic at a time: `replyTopic`). */
  readonly unanswered: Set<string>;
}

/**
 * Subscribe and unsubscribe requests on one connection, for exchanges that answer each with an id'd
 * reply (Binance, OKX): batched, paced at least `intervalMs` apart, each subscribe awaited for its
 * reply, and failed topics asked for again with backoff. Everything belongs to the connection that
 * is open now: `opened()` starts afresh and `closed()` drops every request, reply timer and retry.
 */
export class SubscriptionRequests {
  private readonly queue: Request[] = [];
  private readonly awaiting = new Map<number, Pending>();
  private readonly retries = new Set<TimerHandle>();
  private readonly backoff: Backoff;
  private intervalMs: number;
  private pumpTimer: TimerHandle | undefined;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private nextId = 1;
  private open = false;

  constructor(private readonly options: SubscriptionRequestsOptions) {
    this.intervalMs = options.intervalMs;
    this.backoff = new Backoff(options.retryBackoff);
  }

  /** Requests waiting to be sent or answered. */
  get pending(): number {
    return this.queue.length + this.awaiting.size;
  }

  opened(): void {
    this.clear();
    this.open = true;
  }

  closed(): void {
    this.open = false;
    this.clear();
  }

  /** The exchange said we send too fast: double the spacing (up to 2 s). */
  slowDown(): void {
    this.intervalMs = Math.min(2_000, this.intervalMs * 2);
  }

  enqueue(method: SubscriptionMethod, topics: readonly string[]): void {
    const size = Math.max(1, this.options.topicsPerRequest);
    for (let i = 0; i < topics.length; i += size)
      this.queue.push({ method, topics: topics.slice(i, i + size) });
    this.pump();
  }

  /**
   * The reply to request `id`: success, or the exchange's reason for refusing it. Returns false for
   * an id no request is waiting for (late, foreign, or already timed out).
   */
  reply(id: number, failure?: string): boolean {
    const request = this.awaiting.get(id);
    if (request === undefined) return false;
    this.awaiting.delete(id);
    this.options.clock.clearTimeout(request.timer);
    if (request.method !== 'subscribe') return true;
    const topics = [...request.unanswered];
    if (topics.length === 0) return true;
    if (failure !== undefined) {
      this.failed(topics, failure);
      return true;
    }
    this.backoff.reset();
    this.options.settled(topics, true);
    return true;
  }

  /**
   * The reply about one topic of request `id`, for exchanges that answer each topic of a batch on
   * its own (OKX acknowledges every arg, and its error names the one it refuses): only that topic is
   * settled (and, failed, asked for again with backoff); the request waits for its other topics, and
   * its timeout fails only those still unanswered. Returns false when request `id` is not waiting
   * for `topic`.
   */
  replyTopic(id: number, topic: string, failure?: string): boolean {
    const request = this.awaiting.get(id);
    if (request === undefined || !request.unanswered.delete(topic)) return false;
    if (request.unanswered.size === 0) {
      this.awaiting.delete(id);
      this.options.clock.clearTimeout(request.timer);
    }
    if (request.method !== 'subscribe') return true;
    if (failure !== undefined) {
      this.failed([topic], failure);
      return true;
    }
    this.backoff.reset();
    this.options.settled([topic], true);
    return true;
  }

  /** Whether request `id` is waiting for a reply about `topic`. */
  awaits(id: number, topic: string): boolean {
    return this.awaiting.get(id)?.unanswered.has(topic) === true;
  }

  private pump(): void {
    if (this.pumpTimer !== undefined || this.queue.length === 0 || !this.open) return;
    const clock = this.options.clock;
    const now = clock.now();
    const wait = this.lastSentAt + this.intervalMs - now;
    if (wait > 0) {
      this.pumpTimer = clock.setTimeout(() => {
        this.pumpTimer = undefined;
        this.pump();
      }, wait);
      return;
    }
    const request = this.queue.shift()!;
    const id = this.nextId++;
    this.lastSentAt = now;
    if (this.options.send(request.method, request.topics, id)) {
      const timer =
        request.method === 'subscribe'
          ? clock.setTimeout(() => this.timedOut(id), this.options.ackTimeoutMs)
          : undefined;
      this.awaiting.set(id, { ...request, timer, unanswered: new Set(request.topics) });
    }
    this.pump();
  }

  private timedOut(id: number): void {
    const request = this.awaiting.get(id);
    if (request === undefined) return;
    this.awaiting.delete(id);
    this.failed([...request.unanswered], `no reply within ${this.options.ackTimeoutMs} ms`);
  }

  private failed(topics: readonly string[], reason: string): void {
    if (topics.length === 0) return;
    this.options.settled(topics, false, reason);
    const clock = this.options.clock;
    const timer = clock.setTimeout(() => {
      this.retries.delete(timer);
      if (this.open) this.enqueue('subscribe', topics);
    }, this.backoff.next());
    this.retries.add(timer);
  }

  private clear(): void {
    const clock = this.options.clock;
    this.queue.length = 0;
    for (const request of this.awaiting.values()) clock.clearTimeout(request.timer);
    this.awaiting.clear();
    for (const timer of this.retries) clock.clearTimeout(timer);
    this.retries.clear();
    clock.clearTimeout(this.pumpTimer);
    this.pumpTimer = undefined;
  }
}
