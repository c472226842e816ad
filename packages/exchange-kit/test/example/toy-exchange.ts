import { type MarketInfo, noopLogger, type OrderBookStreamOptions, systemClock } from '@arbitrage/core';
import { BookEvent } from '../../src/book/book-event.js';
import { FrameSocket } from '../../src/socket/frame-socket.js';
import { InstrumentTracker, positiveMs } from '../../src/tracker/instrument-tracker.js';
import { TrackedStream } from '../../src/tracker/tracked-stream.js';

/**
 * The walk-through of the kit's README, as code that runs (see toy-exchange.test.ts): a made-up
 * exchange whose every message is a whole book, `{"s":"BTCUSD","t":1700000000000,"b":[[price,size]…],
 * "a":[…]}`, subscribed with `{"sub":["BTCUSD",…]}`. Everything but the wire protocol is the kit's.
 */
export interface ToyStreamOptions extends OrderBookStreamOptions {
  readonly url: string;
  readonly markets: readonly MarketInfo[];
}

export class ToyOrderBookStream extends TrackedStream {
  private readonly socket: FrameSocket;
  private readonly event = new BookEvent(32);
  private readonly depth: number;

  constructor(options: ToyStreamOptions) {
    const clock = options.clock ?? systemClock;
    const logger = options.logger ?? noopLogger;
    const staleAfterMs = positiveMs('Toy stream', 'staleAfterMs', options.staleAfterMs, 5_000);
    const native = (symbol: string) => options.markets.find((m) => m.symbol === symbol)!.nativeSymbol;
    super(
      new InstrumentTracker({
        exchange: 'toy',
        instruments: options.symbols.map((symbol) => ({ symbol, nativeSymbol: native(symbol) })),
        clock,
        logger,
        staleAfterMs,
        maxLagMs: Math.min(staleAfterMs, 1_000),
        lagBaselineWindowMs: 300_000,
      }),
    );
    this.depth = options.depth ?? 20;
    this.socket = new FrameSocket({
      name: 'toy',
      url: options.url,
      clock,
      logger,
      handler: {
        frame: (data, receivedAt) => this.onFrame(data, receivedAt),
        opened: () => this.tracker.linkOpened(),
        closed: (event) =>
          this.tracker.linkLost(event.requested ? 'stream stopped' : `closed with ${event.code}`),
        error: (error) => this.tracker.error(error),
        subscribeMessages: (_added, all) => [{ sub: all }],
      },
    });
  }

  async start(): Promise<void> {
    this.tracker.start();
    this.socket.subscribe(this.tracker.instruments.map((instrument) => instrument.nativeSymbol));
    await this.socket.connect();
  }

  async stop(): Promise<void> {
    this.tracker.stop();
    await this.socket.disconnect();
  }

  /** The protocol: parse once, validate, tell the tracker. Untrusted input never throws out of here. */
  private onFrame(data: Buffer, receivedAt: number): 'data' | 'other' {
    let message: { s?: unknown; t?: unknown; b?: unknown; a?: unknown };
    try {
      message = JSON.parse(data.toString('utf8'));
    } catch {
      return 'other';
    }
    const instrument = typeof message.s === 'string' ? this.tracker.byNative(message.s) : undefined;
    if (instrument === undefined || typeof message.t !== 'number') return 'other';
    const event = this.event;
    event.reset();
    event.kind = 'full';
    if (
      !readLevels(message.b, (p, s) => event.pushBid(p, s)) ||
      !readLevels(message.a, (p, s) => event.pushAsk(p, s))
    )
      return 'other';
    this.tracker.publishFullBook(instrument, event, this.depth, message.t, receivedAt, undefined, message.t);
    return 'data';
  }
}

function readLevels(value: unknown, push: (price: number, size: number) => void): boolean {
  if (!Array.isArray(value)) return false;
  for (const level of value) {
    if (!Array.isArray(level) || !(level[0] > 0) || !(level[1] >= 0)) return false;
    push(level[0], level[1]);
  }
  return true;
}
