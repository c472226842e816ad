import { type Clock, ConfigError } from '@arbitrage/core';
import type { BinanceConnection } from '../binance/connection.js';
import type { ExchangeName, Market } from '../model/market.js';
import type { OkxConnection } from '../okx/connection.js';
import type { TimerGroup } from '../timers.js';
import type { UpbitConnection } from '../upbit/connection.js';
import type { ConnectionFaults } from './connection-faults.js';
import { MALFORMED_KINDS, type MalformedKind } from './malformed.js';
import type { RefuseMode, RefuseState, RestFaultRules, RestFaultSpec } from './rest-faults.js';

/** Limits a connection-level fault to one connection (ids come from `sim.connections()`). */
export interface ConnectionSelector {
  readonly connectionId?: number;
}

/** An armed fault; `clear()` undoes it (idempotent). */
export interface FaultHandle {
  readonly description: string;
  readonly active: boolean;
  clear(): void;
}

/** @internal What the faults API drives. */
export interface FaultHost {
  readonly market: Market;
  readonly clock: Clock;
  readonly timers: TimerGroup;
  binanceConnections(): BinanceConnection[];
  upbitConnections(): UpbitConnection[];
  okxConnections(): OkxConnection[];
  refuse(exchange: ExchangeName): RefuseState;
  restRules(exchange: ExchangeName): RestFaultRules;
}

interface Target {
  readonly id: number;
  readonly faults: ConnectionFaults;
  readonly isOpen: boolean;
  close(code: number, reason?: string): void;
  terminate(): void;
}

const EXCHANGES: readonly ExchangeName[] = ['upbit', 'binance', 'okx'];

function checkExchange(exchange: string): asserts exchange is ExchangeName {
  if (!(EXCHANGES as readonly string[]).includes(exchange)) {
    throw new ConfigError(`unknown exchange "${exchange}": use 'upbit', 'binance' or 'okx'`);
  }
}

function checkOkx(exchange: string): void {
  if (exchange !== 'okx')
    throw new ConfigError(`this fault is OKX's: exchange must be 'okx', got "${exchange}"`);
}

/**
 * Fault injection for tests and demos (see the README's fault table and docs/faults.md).
 * Connection-level faults apply to the connections open when they are armed (all of them, or the
 * one `connectionId` names); exchange-level ones (refusal, REST faults) to everything that follows.
 */
export class Faults {
  private readonly handles = new Set<FaultHandle>();

  constructor(private readonly host: FaultHost) {}

  /** Drops every connection (or one) without a close frame: clients see 1006. Returns how many. */
  dropConnections(exchange: ExchangeName, options: ConnectionSelector = {}): number {
    const targets = this.targets(exchange, options);
    for (const target of targets) target.terminate();
    return targets.length;
  }

  /** Closes every connection (or one) with `code` and `reason`. Returns how many. */
  closeConnections(
    exchange: ExchangeName,
    code: number,
    options: ConnectionSelector & { reason?: string } = {},
  ): number {
    if (
      !Number.isInteger(code) ||
      code < 1000 ||
      code > 4999 ||
      code === 1004 ||
      code === 1005 ||
      code === 1006
    ) {
      throw new ConfigError(
        `close code must be a sendable WebSocket code (1000-4999, not 1004-1006), got ${code}`,
      );
    }
    const targets = this.targets(exchange, options);
    for (const target of targets) target.close(code, options.reason ?? '');
    return targets.length;
  }

  /**
   * Refuses new connections for `durationMs`: 'reset' (default) resets the TCP connection,
   * 'http-503' answers the upgrade with 503, 'close-after-open' accepts then closes at once with
   * `closeCode` (default 1000). `includeRest` also resets REST connections.
   */
  refuseConnections(
    exchange: ExchangeName,
    durationMs: number,
    options: { mode?: RefuseMode; closeCode?: number; includeRest?: boolean } = {},
  ): FaultHandle {
    checkExchange(exchange);
    if (!(durationMs > 0))
      throw new ConfigError(`refuseConnections durationMs must be > 0, got ${durationMs}`);
    const refuse = this.host.refuse(exchange);
    refuse.until = this.host.clock.now() + durationMs;
    refuse.mode = options.mode ?? 'reset';
    refuse.closeCode = options.closeCode ?? 1000;
    refuse.includeRest = options.includeRest ?? false;
    return this.handle(`refuse ${exchange} connections (${refuse.mode}) for ${durationMs} ms`, () =>
      refuse.clear(),
    );
  }

  /** Stops market data (all symbols, or one) while the socket stays open and heartbeats continue. */
  stallStream(exchange: ExchangeName, options: ConnectionSelector & { symbol?: string } = {}): FaultHandle {
    const symbol = options.symbol === undefined ? undefined : this.symbol(exchange, options.symbol);
    const targets = this.targets(exchange, options);
    for (const { faults } of targets) {
      if (symbol === undefined) faults.stalledAll = true;
      else faults.stalledSymbols.add(symbol);
    }
    return this.handle(
      `stall ${exchange} ${symbol ?? 'all symbols'} on ${targets.length} connection(s)`,
      () => {
        for (const { faults } of targets) {
          if (symbol === undefined) faults.stalledAll = false;
          else faults.stalledSymbols.delete(symbol);
        }
      },
    );
  }

  /** The server stops answering ping frames (Upbit: also text PING / {"status":"UP"}; OKX: text `ping`). */
  ignorePings(exchange: ExchangeName, options: ConnectionSelector = {}): FaultHandle {
    const targets = this.targets(exchange, options);
    for (const { faults } of targets) faults.ignorePings = true;
    return this.handle(`ignore ${exchange} pings on ${targets.length} connection(s)`, () => {
      for (const { faults } of targets) faults.ignorePings = false;
    });
  }

  /**
   * Drops the next `count` diff-depth events (Binance: the next event's U jumps past the previous
   * u + 1, a sequence gap), `books` updates (OKX: the next prevSeqId is not the last seqId seen) or
   * orderbook frames (Upbit) for `symbol`.
   */
  skipUpdates(
    exchange: ExchangeName,
    symbol: string,
    count = 1,
    options: ConnectionSelector = {},
  ): FaultHandle {
    return this.counted('skip', exchange, symbol, count, options, (faults) => faults.skip);
  }

  /** Sends the next `count` diff events / orderbook frames for `symbol` twice. */
  duplicateMessages(
    exchange: ExchangeName,
    symbol: string,
    count = 1,
    options: ConnectionSelector = {},
  ): FaultHandle {
    return this.counted('duplicate', exchange, symbol, count, options, (faults) => faults.duplicate);
  }

  /** Swaps the next two diff events / orderbook frames for `symbol`. */
  reorderMessages(exchange: ExchangeName, symbol: string, options: ConnectionSelector = {}): FaultHandle {
    const name = this.symbol(exchange, symbol);
    const targets = this.targets(exchange, options);
    for (const { faults } of targets) faults.reorder.add(name);
    return this.handle(`reorder ${exchange} ${name}`, () => {
      for (const { faults } of targets) faults.reorder.delete(name);
    });
  }

  /** Sends one malformed frame now to every connection (or one). Returns how many got it. */
  sendMalformed(
    exchange: ExchangeName,
    kind: MalformedKind,
    options: ConnectionSelector & { symbol?: string } = {},
  ): number {
    if (!MALFORMED_KINDS.includes(kind)) {
      throw new ConfigError(`unknown malformed kind "${kind}": use one of ${MALFORMED_KINDS.join(', ')}`);
    }
    const market = this.host.market;
    if (exchange === 'binance') {
      const symbol = this.symbol(exchange, options.symbol ?? market.binanceSymbols[0]!);
      const targets = this.binanceTargets(options);
      for (const connection of targets) connection.sendMalformed(kind, symbol);
      return targets.length;
    }
    if (exchange === 'okx') {
      const book = market.okx(this.symbol(exchange, options.symbol ?? market.okxInstIds[0]!));
      const targets = this.okxTargets(options);
      for (const connection of targets) connection.sendMalformed(kind, book);
      return targets.length;
    }
    checkExchange(exchange);
    const book = market.upbit(this.symbol(exchange, options.symbol ?? market.upbitCodes[0]!));
    const targets = this.upbitTargets(options);
    for (const connection of targets) connection.sendMalformed(kind, book);
    return targets.length;
  }

  /** Upbit: sends the previous orderbook frame of `code` again, with its older timestamp. */
  sendOlderFrame(code: string, options: ConnectionSelector = {}): number {
    const book = this.host.market.upbit(this.symbol('upbit', code));
    let sent = 0;
    for (const connection of this.upbitTargets(options)) if (connection.sendOlderFrame(book)) sent++;
    return sent;
  }

  /**
   * A crossed book (best bid above best ask). Default: the next diff event / orderbook frame of each
   * connection carries a bid one tick above the best ask (the true book stays sane, so a resync heals
   * it). `persist: true` crosses the true book itself (REST included) and freezes it until cleared.
   */
  crossBook(
    exchange: ExchangeName,
    symbol: string,
    options: ConnectionSelector & { persist?: boolean } = {},
  ): FaultHandle {
    const name = this.symbol(exchange, symbol);
    const market = this.host.market;
    if (!options.persist) {
      const targets = this.targets(exchange, options);
      for (const { faults } of targets) faults.cross.add(name);
      return this.handle(`cross next ${exchange} ${name} message`, () => {
        for (const { faults } of targets) faults.cross.delete(name);
      });
    }
    if (exchange === 'okx') {
      const book = market.okx(name);
      const key = (book.ladder.asks.key(0) ?? 0) + 1;
      const lots = book.ladder.asks.lots(0) ?? 1;
      market.mutateOkx(name, (ladder, changes) => ladder.set(true, key, lots, changes));
      book.frozen = true;
      return this.handle(`cross okx ${name} (persistent)`, () => {
        book.frozen = false;
        market.mutateOkx(name, (ladder, changes) => ladder.set(true, key, 0, changes));
      });
    }
    if (exchange === 'binance') {
      const book = market.binance(name);
      const key = (book.ladder.asks.key(0) ?? 0) + 1;
      const lots = book.ladder.asks.lots(0) ?? 1;
      market.mutateBinance(name, (ladder, changes) => ladder.set(true, key, lots, changes));
      book.frozen = true;
      return this.handle(`cross binance ${name} (persistent)`, () => {
        book.frozen = false;
        market.mutateBinance(name, (ladder, changes) => ladder.set(true, key, 0, changes));
      });
    }
    const book = market.upbit(name);
    const key = book.ladder.grid.up(book.ladder.asks.key(0) ?? 0, 1);
    const lots = book.ladder.asks.lots(0) ?? 1;
    market.mutateUpbit(name, (ladder, changes) => ladder.set(true, key, lots, changes));
    book.frozen = true;
    return this.handle(`cross upbit ${name} (persistent)`, () => {
      book.frozen = false;
      market.mutateUpbit(name, (ladder, changes) => ladder.set(true, key, 0, changes));
    });
  }

  /** Slow, hanging or failing REST answers (see RestFaultSpec). */
  restFault(exchange: ExchangeName, spec: RestFaultSpec): FaultHandle {
    checkExchange(exchange);
    if (
      spec.status !== undefined &&
      (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599)
    ) {
      throw new ConfigError(`restFault status must be an HTTP status, got ${spec.status}`);
    }
    if (spec.status === undefined && !spec.hang && !(spec.delayMs && spec.delayMs > 0)) {
      throw new ConfigError('restFault needs a status, hang: true or delayMs > 0');
    }
    const remove = this.host.restRules(exchange).add(spec);
    return this.handle(`rest ${exchange} ${JSON.stringify(spec)}`, remove);
  }

  /** Moves one book by `bps` basis points now (e.g. between a strategy's decision and its fill). */
  moveBook(exchange: ExchangeName, symbol: string, bps: number): void {
    checkExchange(exchange);
    this.host.market.moveBook(exchange, this.symbol(exchange, symbol), bps);
  }

  /**
   * Binance: sends `serverShutdown` to every connection, then closes them with `closeCode`
   * (default 1001) after `closeAfterMs` (default 2000). Returns how many were notified.
   */
  serverShutdown(options: { closeAfterMs?: number; closeCode?: number } = {}): number {
    const targets = this.binanceTargets({});
    for (const connection of targets) connection.sendShutdownNotice();
    this.host.timers.after(options.closeAfterMs ?? 2000, () => {
      for (const connection of targets) connection.close(options.closeCode ?? 1001, 'Server shutdown');
    });
    return targets.length;
  }

  /**
   * OKX: the sequence starts again from a lower number, as after maintenance (docs/protocols/okx.md
   * E7): one push now, linked to the last one (its prevSeqId is the last seqId) with a seqId below
   * it; the stream goes on from there. REST follows the new sequence.
   */
  resetSequence(exchange: ExchangeName, instId: string): void {
    checkOkx(exchange);
    this.host.market.resetOkxSequence(this.symbol('okx', instId));
  }

  /**
   * OKX: a `snapshot` push in the middle of the stream. The book changes by one update now, and each
   * connection subscribed to `books` for `instId` (or the one selected) gets that update as a
   * snapshot push (prevSeqId -1) instead: a client that applies snapshots stays in step, one that
   * ignores them sees the next update's prevSeqId unlinked and must resync. Returns how many got it.
   */
  resendSnapshot(exchange: ExchangeName, instId: string, options: ConnectionSelector = {}): number {
    checkOkx(exchange);
    const name = this.symbol('okx', instId);
    const targets = this.okxTargets(options).filter((connection) => connection.hasBooks(name));
    for (const { faults } of targets) faults.resnapshot.add(name);
    const market = this.host.market;
    // The update the snapshot stands for: one more lot at the best bid.
    market.mutateOkx(name, (ladder, changes) => {
      const key = ladder.bids.key(0);
      if (key !== undefined) ladder.set(true, key, ladder.bids.lots(0)! + 1, changes);
    });
    for (const { faults } of targets) faults.resnapshot.delete(name);
    return targets.length;
  }

  /**
   * OKX: the service-upgrade notice `{"event":"notice","code":"64008"}` to every connection, then
   * the connections are dropped after `closeAfterMs` (default 2000). Returns how many were notified.
   */
  serviceNotice(exchange: ExchangeName, closeAfterMs = 2000): number {
    checkOkx(exchange);
    if (!(closeAfterMs >= 0))
      throw new ConfigError(`serviceNotice closeAfterMs must be >= 0, got ${closeAfterMs}`);
    const targets = this.okxTargets({});
    for (const connection of targets) connection.sendNotice();
    this.host.timers.after(closeAfterMs, () => {
      for (const connection of targets) connection.terminate();
    });
    return targets.length;
  }

  /** Descriptions of the faults still armed. */
  active(): string[] {
    return [...this.handles].map((handle) => handle.description);
  }

  /** Clears every fault (handles, REST rules, refusals). */
  clear(): void {
    for (const handle of [...this.handles]) handle.clear();
    for (const exchange of EXCHANGES) {
      this.host.restRules(exchange).clear();
      this.host.refuse(exchange).clear();
    }
  }

  private counted(
    label: string,
    exchange: ExchangeName,
    symbol: string,
    count: number,
    options: ConnectionSelector,
    counters: (faults: ConnectionFaults) => Map<string, number>,
  ): FaultHandle {
    if (!Number.isInteger(count) || count < 1)
      throw new ConfigError(`${label} count must be a positive integer, got ${count}`);
    const name = this.symbol(exchange, symbol);
    const targets = this.targets(exchange, options);
    for (const { faults } of targets) counters(faults).set(name, (counters(faults).get(name) ?? 0) + count);
    return this.handle(
      `${label} ${count} ${exchange} ${name} message(s) on ${targets.length} connection(s)`,
      () => {
        for (const { faults } of targets) counters(faults).delete(name);
      },
    );
  }

  private handle(description: string, undo: () => void): FaultHandle {
    let active = true;
    const handles = this.handles;
    const handle: FaultHandle = {
      description,
      get active() {
        return active;
      },
      clear() {
        if (!active) return;
        active = false;
        handles.delete(handle);
        undo();
      },
    };
    handles.add(handle);
    return handle;
  }

  private symbol(exchange: ExchangeName, symbol: string): string {
    checkExchange(exchange);
    const market = this.host.market;
    if (exchange === 'binance') return market.binance(symbol).symbol;
    return exchange === 'okx' ? market.okx(symbol).instId : market.upbit(symbol).code;
  }

  private binanceTargets(options: ConnectionSelector): BinanceConnection[] {
    return this.select(this.host.binanceConnections(), options);
  }

  private upbitTargets(options: ConnectionSelector): UpbitConnection[] {
    return this.select(this.host.upbitConnections(), options);
  }

  private okxTargets(options: ConnectionSelector): OkxConnection[] {
    return this.select(this.host.okxConnections(), options);
  }

  private targets(exchange: ExchangeName, options: ConnectionSelector): Target[] {
    checkExchange(exchange);
    if (exchange === 'okx') return this.okxTargets(options);
    return exchange === 'binance' ? this.binanceTargets(options) : this.upbitTargets(options);
  }

  private select<T extends Target>(connections: T[], options: ConnectionSelector): T[] {
    if (options.connectionId === undefined) return connections.filter((connection) => connection.isOpen);
    const match = connections.filter((connection) => connection.id === options.connectionId);
    if (match.length === 0) throw new ConfigError(`no open connection with id ${options.connectionId}`);
    return match;
  }
}
