import {
  type Clock,
  type Logger,
  noopLogger,
  parseSymbol,
  systemClock,
  type TimerHandle,
  type VenueDescription,
  vwapLevels,
} from '@arbitrage/core';
import type { BookSource } from '../market-view.js';
import { ReasonCounts } from '../reason-counts.js';
import { FULL_FILL_TOLERANCE } from '../vwap.js';
import { type BalanceRecord, Balances } from './balances.js';
import { fillableSize } from './fill-walk.js';
import type {
  FillReport,
  FillStatus,
  OrderRejectReason,
  OrderRequest,
  PaperOrder,
  PaperOrderStatus,
  ShortfallReason,
} from './orders.js';
import { VenueRules } from './venue-rules.js';

export interface PaperBrokerOptions {
  /** Asked for the book at fill time, never at submission: fills see the market as it then is. */
  readonly bookSource: BookSource;
  /**
   * The venue behind each exchange id orders may name: its taker fee and its markets' lot sizes and
   * minimum notionals. Orders on an exchange id without one are rejected ('no_fee_schedule').
   */
  readonly venues: Readonly<Record<string, VenueDescription>>;
  /** Taker fee per exchange id, as a fraction, instead of the venue's own (e.g. a lower tier). */
  readonly takerFees?: Readonly<Record<string, number>>;
  /** Delay from submission to fill, ms; one number or one per exchange id. Default 50. */
  readonly latencyMs?: number | Readonly<Record<string, number>>;
  /** Starting balances: exchange → asset → amount. */
  readonly initialBalances?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Fill reports kept for `fills()`; older ones are dropped (totals are kept). Default 10 000. */
  readonly maxFillHistory?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export interface PaperBrokerStats {
  readonly submitted: number;
  readonly rejected: Record<string, number>;
  readonly fills: Record<FillStatus, number>;
  /** Fees charged per asset. */
  readonly fees: Record<string, number>;
  /** Slippage cost against decision prices per quote asset (positive = worse). */
  readonly slippage: Record<string, number>;
}

interface MutableOrder extends PaperOrder {
  status: PaperOrderStatus;
  timer: TimerHandle | undefined;
}

type Validation =
  | { readonly reason: OrderRejectReason }
  | { readonly reason: undefined; readonly size: number; readonly base: string; readonly quote: string };

const DEFAULT_LATENCY_MS = 50;

/**
 * Simulated execution: the only order path in this package. It has no network code — no socket,
 * no HTTP client, no exchange credentials — and so cannot send anything anywhere. Each order is a
 * taker immediate-or-cancel order: after the latency it walks the book it is handed at that moment,
 * level by level, fills what depth, lot size, minimum notional and balance allow, charges the taker
 * fee in the quote currency, records slippage against the decision price, and cancels the rest.
 * Orders waiting for their fill are the active orders.
 */
export class PaperBroker {
  readonly mode = 'paper' as const;
  private readonly bookSource: BookSource;
  private readonly takerFees: Readonly<Record<string, number>>;
  private readonly latency: number | Readonly<Record<string, number>>;
  private readonly rules: VenueRules;
  private readonly wallet: Balances;
  /** Every fill's effect on the balances, summed since the start (kept even when fill history is trimmed). */
  private readonly flows = new Balances();
  private readonly startingBalances: BalanceRecord;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly maxFillHistory: number;
  private readonly active = new Map<string, MutableOrder>();
  private readonly listeners = new Set<(fill: FillReport) => void>();
  private readonly history: FillReport[] = [];
  private readonly rejectCounts = new ReasonCounts<OrderRejectReason>();
  private readonly fillCounts: Record<FillStatus, number> = {
    filled: 0,
    partial: 0,
    unfilled: 0,
    cancelled: 0,
  };
  private readonly feeTotals = new ReasonCounts<string>();
  private readonly slippageTotals = new ReasonCounts<string>();
  private submitted = 0;
  private nextId = 1;

  constructor(options: PaperBrokerOptions) {
    this.bookSource = options.bookSource;
    const fees: Record<string, number> = {};
    for (const [exchange, venue] of Object.entries(options.venues)) {
      fees[exchange] = options.takerFees?.[exchange] ?? venue.fees.taker;
    }
    this.takerFees = fees;
    this.latency = options.latencyMs ?? DEFAULT_LATENCY_MS;
    this.rules = new VenueRules(options.venues);
    this.wallet = new Balances(options.initialBalances);
    this.startingBalances = this.wallet.toRecord();
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? noopLogger;
    this.maxFillHistory = options.maxFillHistory ?? 10_000;
  }

  /** The checks `submit` makes, without submitting: the reason it would reject, or undefined. */
  check(request: OrderRequest): OrderRejectReason | undefined {
    return this.validate(request).reason;
  }

  /** Accepts (status 'active', filled after the latency) or rejects (status 'rejected', with the reason). */
  submit(request: OrderRequest): PaperOrder {
    const now = this.clock.now();
    const validation = this.validate(request);
    const latency = this.latencyFor(request.exchange);
    const order: MutableOrder = {
      ...request,
      id: `paper-${this.nextId++}`,
      base: validation.reason === undefined ? validation.base : '',
      quote: validation.reason === undefined ? validation.quote : '',
      size: validation.reason === undefined ? validation.size : request.size,
      requestedSize: request.size,
      status: validation.reason === undefined ? 'active' : 'rejected',
      rejectReason: validation.reason,
      submittedAt: now,
      fillDueAt: now + latency,
      timer: undefined,
    };
    if (validation.reason !== undefined) {
      this.rejectCounts.increment(validation.reason);
      this.logger.debug({ orderId: order.id, reason: validation.reason }, 'paper order rejected');
      return order;
    }
    this.submitted++;
    this.active.set(order.id, order);
    order.timer = this.clock.setTimeout(() => this.fill(order), latency);
    return order;
  }

  /** Called with every fill report (including cancellations). Returns unsubscribe. */
  onFill(listener: (fill: FillReport) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  activeOrders(): readonly PaperOrder[] {
    return [...this.active.values()];
  }

  activeOrderCount(): number {
    return this.active.size;
  }

  balance(exchange: string, asset: string): number {
    return this.wallet.get(exchange, asset);
  }

  balances(): BalanceRecord {
    return this.wallet.toRecord();
  }

  initialBalances(): BalanceRecord {
    return structuredClone(this.startingBalances);
  }

  /**
   * The sum of every fill's effect per exchange and asset since the start: base bought (+) or sold (−),
   * quote paid or received, fees deducted. `initialBalances() + fillFlows()` equals `balances()`,
   * whatever `maxFillHistory` dropped; reconciliation checks compare the two.
   */
  fillFlows(): BalanceRecord {
    return this.flows.toRecord();
  }

  /** Fill reports, oldest first (the newest `maxFillHistory`). */
  fills(): readonly FillReport[] {
    return this.history;
  }

  stats(): PaperBrokerStats {
    return {
      submitted: this.submitted,
      rejected: this.rejectCounts.toRecord(),
      fills: { ...this.fillCounts },
      fees: this.feeTotals.toRecord(),
      slippage: this.slippageTotals.toRecord(),
    };
  }

  /** Cancels every active order (each reported as 'cancelled'); leaves no timer behind. */
  cancelAll(): void {
    for (const order of [...this.active.values()]) {
      this.clock.clearTimeout(order.timer);
      this.finish(order, this.emptyFill(order, 'cancelled', 'cancelled', undefined));
    }
  }

  private validate(request: OrderRequest): Validation {
    if (!(request.size > 0) || !Number.isFinite(request.size)) return { reason: 'invalid_size' };
    if (!(request.decisionPrice > 0) || !Number.isFinite(request.decisionPrice))
      return { reason: 'invalid_price' };
    const fee = this.takerFees[request.exchange];
    if (fee === undefined) return { reason: 'no_fee_schedule' };
    let base: string;
    let quote: string;
    try {
      ({ base, quote } = parseSymbol(request.symbol));
    } catch {
      return { reason: 'invalid_symbol' };
    }
    const size = this.rules.floorToLot(request.exchange, request.symbol, request.size);
    if (!(size > 0)) return { reason: 'below_lot_size' };
    const notional = size * request.decisionPrice;
    if (!this.rules.meetsMinNotional(request.exchange, request.symbol, notional)) {
      return { reason: 'below_min_notional' };
    }
    const affordable =
      request.side === 'sell'
        ? this.wallet.get(request.exchange, base) >= size
        : this.wallet.get(request.exchange, quote) >= notional * (1 + fee);
    if (!affordable) return { reason: 'insufficient_balance' };
    return { reason: undefined, size, base, quote };
  }

  private fill(order: MutableOrder): void {
    const book = this.bookSource(order.exchange, order.symbol);
    if (!book) {
      this.finish(order, this.emptyFill(order, 'unfilled', 'no_book', undefined));
      return;
    }
    const fee = this.takerFees[order.exchange]!;
    const levels = order.side === 'buy' ? book.asks : book.bids;
    const baseHeld = this.wallet.get(order.exchange, order.base);
    const sellCap = order.side === 'sell' && baseHeld < order.size ? Math.max(0, baseHeld) : order.size;
    const budget =
      order.side === 'buy' ? this.wallet.get(order.exchange, order.quote) : Number.POSITIVE_INFINITY;
    const fillable = fillableSize(levels, sellCap, budget, fee);
    const size = this.rules.floorToLot(order.exchange, order.symbol, fillable.size);
    let shortfall: ShortfallReason | undefined =
      sellCap < order.size || fillable.limitedBy === 'balance'
        ? 'insufficient_balance'
        : fillable.limitedBy === 'depth'
          ? 'insufficient_depth'
          : size < fillable.size
            ? 'below_lot_size'
            : undefined;
    if (!(size > 0)) {
      this.finish(
        order,
        this.emptyFill(order, 'unfilled', shortfall ?? 'insufficient_depth', book.receivedAt),
      );
      return;
    }
    const walk = vwapLevels(levels, size);
    if (!this.rules.meetsMinNotional(order.exchange, order.symbol, walk.notional)) {
      this.finish(order, this.emptyFill(order, 'unfilled', 'below_min_notional', book.receivedAt));
      return;
    }
    const feePaid = walk.notional * fee;
    const baseDelta = order.side === 'buy' ? walk.filledSize : -walk.filledSize;
    const quoteDelta = order.side === 'buy' ? -(walk.notional + feePaid) : walk.notional - feePaid;
    for (const book of [this.wallet, this.flows]) {
      book.add(order.exchange, order.base, baseDelta);
      book.add(order.exchange, order.quote, quoteDelta);
    }
    const worse =
      order.side === 'buy'
        ? walk.averagePrice - order.decisionPrice
        : order.decisionPrice - walk.averagePrice;
    const complete = walk.filledSize >= order.size * (1 - FULL_FILL_TOLERANCE);
    if (complete) shortfall = undefined;
    this.finish(order, {
      ...this.fillIdentity(order),
      filledSize: walk.filledSize,
      averagePrice: walk.averagePrice,
      notional: walk.notional,
      fee: feePaid,
      slippageBps: (worse / order.decisionPrice) * 10_000,
      slippageCost: worse * walk.filledSize,
      levels: walk.levels,
      status: complete ? 'filled' : 'partial',
      shortfall,
      filledAt: this.clock.now(),
      bookReceivedAt: book.receivedAt,
    });
  }

  private emptyFill(
    order: MutableOrder,
    status: FillStatus,
    shortfall: ShortfallReason,
    bookReceivedAt: number | undefined,
  ): FillReport {
    return {
      ...this.fillIdentity(order),
      filledSize: 0,
      averagePrice: Number.NaN,
      notional: 0,
      fee: 0,
      slippageBps: Number.NaN,
      slippageCost: 0,
      levels: 0,
      status,
      shortfall,
      filledAt: this.clock.now(),
      bookReceivedAt,
    };
  }

  private fillIdentity(order: MutableOrder) {
    return {
      orderId: order.id,
      tag: order.tag,
      exchange: order.exchange,
      symbol: order.symbol,
      base: order.base,
      quote: order.quote,
      side: order.side,
      orderSize: order.size,
      feeAsset: order.quote,
      decisionPrice: order.decisionPrice,
      submittedAt: order.submittedAt,
    };
  }

  private finish(order: MutableOrder, fill: FillReport): void {
    order.status = 'done';
    order.timer = undefined;
    this.active.delete(order.id);
    this.fillCounts[fill.status]++;
    if (fill.fee > 0) this.feeTotals.increment(fill.feeAsset, fill.fee);
    if (fill.filledSize > 0) this.slippageTotals.increment(fill.quote, fill.slippageCost);
    this.history.push(fill);
    if (this.history.length > this.maxFillHistory) this.history.shift();
    for (const listener of this.listeners) {
      try {
        listener(fill);
      } catch (error) {
        this.logger.error({ err: error, orderId: fill.orderId }, 'a fill listener threw; the fill stands');
      }
    }
  }

  private latencyFor(exchange: string): number {
    const latency =
      typeof this.latency === 'number' ? this.latency : (this.latency[exchange] ?? DEFAULT_LATENCY_MS);
    return Math.max(0, latency);
  }
}
