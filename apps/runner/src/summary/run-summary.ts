import type { InstrumentCounters, InstrumentState, SnapshotSource } from '@arbitrage/core';
import type {
  ArbitrageEngine,
  BalanceRecord,
  EngineSummary,
  LatencySummary,
  PaperBroker,
  TradeView,
} from '@arbitrage/engine';
import type { SourceKind } from '../config/schema.js';
import type { RunnerProvider } from '../providers/create-provider.js';

export type StopReason = 'duration' | 'SIGINT' | 'SIGTERM' | 'stopped';

export interface FeedSummary {
  readonly state: InstrumentState;
  readonly source: SnapshotSource;
  readonly reason: string | undefined;
  readonly ageMs: number | undefined;
  readonly counters: Readonly<InstrumentCounters>;
}

export interface TradeLegRecord {
  readonly exchange: string;
  readonly symbol: string;
  readonly position: number;
  readonly quoteFlow: number;
  readonly fees: number;
  readonly lastFillPrice: number;
  readonly fills: readonly {
    readonly side: string;
    readonly filledSize: number;
    readonly averagePrice: number;
    readonly notional: number;
    readonly fee: number;
    readonly status: string;
  }[];
}

export interface TradeRecord {
  readonly id: string;
  readonly asset: string;
  /** The route the pair used: its KRW venue and USDT venue, e.g. 'upbit-binance'. */
  readonly route: string;
  readonly direction: string;
  readonly state: string;
  readonly size: number;
  /** The direction's net premium at entry (`entry.netPremium`). */
  readonly entryPremium: number;
  /** Mid and net premium, reference, target and expected profit when the pair opened. */
  readonly entry: TradeView['entry'];
  /** The same at the (last) unwind decision: mid premium and the pair's exit premium. */
  readonly exit: TradeView['exit'];
  /** Where a closed pair's money went, KRW: capture − fees − spread = PnL. */
  readonly costs: TradeView['costs'];
  readonly closeReason: string | undefined;
  readonly openedAt: number;
  readonly closedAt: number | undefined;
  readonly realised: TradeView['realised'];
  /** The leg on the KRW venue. */
  readonly krw: TradeLegRecord;
  /** The leg on the USDT venue. */
  readonly usdt: TradeLegRecord;
}

/** The final report of a run: what `--json` prints as one object. */
export interface RunSummary {
  /** 'SIMULATED MARKET' or 'LIVE MARKET DATA (paper execution)'. */
  readonly label: string;
  readonly market: 'sim' | 'live';
  readonly mode: 'paper';
  readonly source: SourceKind;
  readonly startedAt: string;
  readonly durationMs: number;
  /** How fast market time ran: the simulator preset and its time scale (1 on live data). */
  readonly marketTime: { readonly preset: string | undefined; readonly timeScale: number };
  readonly stopReason: StopReason;
  /** How many assets the engine scanned (every asset listed on both legs with `assets: all`). */
  readonly assetsScanned?: number;
  /** Book updates delivered by the provider. */
  readonly updates: number;
  /** Loop time per update that triggered evaluations, arrival → decision, microseconds. */
  readonly loops: LatencySummary;
  /** The engine's own evaluation cost, microseconds (one per asset evaluated). */
  readonly evaluations: LatencySummary;
  readonly trades: EngineSummary['trades'];
  readonly pnl: EngineSummary['pnl'];
  readonly activeOrders: number;
  readonly feedHealth: {
    readonly allLive: boolean;
    readonly sourceSwitches: number | undefined;
    readonly instruments: Record<string, FeedSummary>;
  };
  readonly guardRefusals: Record<string, number>;
  readonly skipReasons: Record<string, number>;
  readonly halt: EngineSummary['halt'];
  readonly premiums: EngineSummary['premiums'];
  readonly balances: {
    readonly initial: BalanceRecord;
    readonly final: BalanceRecord;
    /** Sum of every fill's effect per exchange and asset (base ± size, quote ∓ notional, − fee): final = initial + fillFlows. */
    readonly fillFlows: BalanceRecord;
  };
  readonly orders: EngineSummary['orders'];
  /** Open pairs, then the most recent closed ones (the engine keeps 1 000). */
  readonly tradeLog: readonly TradeRecord[];
}

export interface SummaryInputs {
  readonly label: string;
  readonly marketTime: RunSummary['marketTime'];
  readonly market: 'sim' | 'live';
  readonly source: SourceKind;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly stopReason: StopReason;
  readonly assetsScanned?: number;
  readonly updates: number;
  readonly loops: LatencySummary;
  readonly engine: ArbitrageEngine;
  readonly broker: PaperBroker;
  readonly provider: RunnerProvider;
}

export function buildRunSummary(inputs: SummaryInputs): RunSummary {
  const engine = inputs.engine.summary();
  const health = inputs.provider.health();
  const instruments: Record<string, FeedSummary> = {};
  for (const [id, instrument] of Object.entries(health.instruments)) {
    instruments[id] = {
      state: instrument.state,
      source: instrument.source,
      reason: instrument.reason,
      ageMs: instrument.ageMs,
      counters: { ...instrument.counters },
    };
  }
  return {
    label: inputs.label,
    market: inputs.market,
    mode: 'paper',
    source: inputs.source,
    startedAt: new Date(inputs.startedAt).toISOString(),
    durationMs: inputs.endedAt - inputs.startedAt,
    marketTime: inputs.marketTime,
    stopReason: inputs.stopReason,
    ...(inputs.assetsScanned === undefined ? {} : { assetsScanned: inputs.assetsScanned }),
    updates: inputs.updates,
    loops: inputs.loops,
    evaluations: engine.evaluations,
    trades: engine.trades,
    pnl: engine.pnl,
    activeOrders: engine.activeOrders,
    feedHealth: { allLive: health.allLive, sourceSwitches: inputs.provider.switches?.(), instruments },
    guardRefusals: engine.guardRefusals,
    skipReasons: engine.skipReasons,
    halt: engine.halt,
    premiums: engine.premiums,
    balances: {
      initial: inputs.broker.initialBalances(),
      final: engine.balances,
      fillFlows: inputs.broker.fillFlows(),
    },
    orders: engine.orders,
    tradeLog: inputs.engine.trades().map(tradeRecord),
  };
}

function tradeRecord(trade: TradeView): TradeRecord {
  const leg = (view: TradeView['krw']): TradeLegRecord => ({
    exchange: view.exchange,
    symbol: view.symbol,
    position: view.position,
    quoteFlow: view.quoteFlow,
    fees: view.fees,
    lastFillPrice: view.lastFillPrice,
    fills: view.fills.map((fill) => ({
      side: fill.side,
      filledSize: fill.filledSize,
      averagePrice: fill.averagePrice,
      notional: fill.notional,
      fee: fill.fee,
      status: fill.status,
    })),
  });
  return {
    id: trade.id,
    asset: trade.asset,
    route: trade.route,
    direction: trade.direction,
    state: trade.state,
    size: trade.size,
    entryPremium: trade.entryPremium,
    entry: { ...trade.entry },
    exit: trade.exit && { ...trade.exit },
    costs: trade.costs && { ...trade.costs },
    closeReason: trade.closeReason,
    openedAt: trade.openedAt,
    closedAt: trade.closedAt,
    realised: trade.realised,
    krw: leg(trade.krw),
    usdt: leg(trade.usdt),
  };
}
