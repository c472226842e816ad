import os from 'node:os';
import type { ClientKind, ExchangeKind, OkxSubscribePacing, SnapshotPacing } from './protocol.js';
import { type Machine, machine } from './report.js';
import { caseName, type MarketKind, runStartup, type StartupCase, type StartupRun } from './startup-run.js';
import { median } from './stats.js';

/** One client on one case: the median over the attempts of each figure, and every attempt. */
export interface FirstBookEntry {
  readonly case: string;
  readonly exchange: ExchangeKind;
  readonly market: MarketKind;
  readonly symbols: number;
  readonly client: ClientKind;
  /** Medians over the attempts, ms from the client's start. */
  readonly firstMs: number;
  readonly medianMs: number;
  readonly allMs: number;
  readonly attempts: readonly StartupRun[];
}

export interface FirstBookResult {
  readonly date: string;
  readonly machine: Machine;
  readonly seed: number;
  readonly repeat: number;
  readonly snapshotPacing?: SnapshotPacing;
  readonly okxSubscribe?: OkxSubscribePacing;
  /** False when the simulator sent no OKX snapshot push. */
  readonly okxSnapshotPush?: boolean;
  readonly entries: readonly FirstBookEntry[];
}

export interface FirstBookOptions {
  readonly smoke: boolean;
  readonly exchanges: readonly ExchangeKind[];
  readonly seed: number;
  /** Attempts per client and case, in rounds (default 3). */
  readonly repeat?: number;
  /** Binance snapshot pacing for ours (diagnosis; default the plugin's). */
  readonly snapshotPacing?: SnapshotPacing;
  /** OKX subscribe pacing for ours (diagnosis; default the plugin's). */
  readonly okxSubscribe?: OkxSubscribePacing;
  /** Whether the simulator sends OKX's snapshot push (default true). */
  readonly okxSnapshotPush?: boolean;
  readonly log: (line: string) => void;
}

/** ccxt's watchOrderBook, and ours through the provider's onBookUpdate (its first call is the live book). */
export const FIRST_BOOK_CLIENTS: readonly ClientKind[] = ['ccxt', 'ours-book'];

export function firstBookCases(options: Pick<FirstBookOptions, 'smoke' | 'exchanges'>): StartupCase[] {
  const out: StartupCase[] = [];
  for (const exchange of options.exchanges) {
    if (options.smoke) {
      out.push({ exchange, market: 'quiet', symbols: 1 });
      continue;
    }
    for (const market of ['quiet', 'active'] as const) {
      for (const symbols of [1, 20]) out.push({ exchange, market, symbols });
    }
  }
  return out;
}

/**
 * Time to the first live book, ours against ccxt pro on the same simulator: a quiet market (no diff
 * ever) and an active one, 1 and 20 symbols. Attempts run in rounds (every case and client once,
 * then again), so a disturbance of the shared machine spreads over the clients.
 */
export async function runFirstBook(options: FirstBookOptions): Promise<FirstBookResult> {
  const loadAtStart = os.loadavg();
  const repeat = Math.max(1, options.repeat ?? (options.smoke ? 1 : 3));
  const cases = firstBookCases(options);
  const attempts = new Map<string, StartupRun[]>();
  const key = (c: StartupCase, client: ClientKind): string => `${caseName(c)} · ${client}`;
  // ccxt pro okx builds its book from the snapshot push alone: without it, it never has one.
  const clientsFor = (c: StartupCase): readonly ClientKind[] =>
    c.exchange === 'okx' && options.okxSnapshotPush === false ? ['ours-book'] : FIRST_BOOK_CLIENTS;
  for (let round = 0; round < repeat; round++) {
    for (const startup of cases) {
      for (const client of clientsFor(startup)) {
        const run = await runStartup(client, startup, {
          seed: options.seed,
          timeoutMs: 60_000,
          ...(options.snapshotPacing ? { snapshotPacing: options.snapshotPacing } : {}),
          ...(options.okxSubscribe ? { okxSubscribe: options.okxSubscribe } : {}),
          ...(options.okxSnapshotPush === false ? { okxSnapshotPush: false } : {}),
          log: options.log,
        });
        const list = attempts.get(key(startup, client)) ?? [];
        list.push(run);
        attempts.set(key(startup, client), list);
        options.log(
          `first book · ${key(startup, client)}: first ${run.firstMs.toFixed(0)} ms, median ` +
            `${run.medianMs.toFixed(0)} ms, all ${run.allMs.toFixed(0)} ms`,
        );
      }
    }
  }
  const entries: FirstBookEntry[] = [];
  for (const startup of cases) {
    for (const client of clientsFor(startup)) {
      const runs = attempts.get(key(startup, client)) ?? [];
      entries.push({
        case: caseName(startup),
        exchange: startup.exchange,
        market: startup.market,
        symbols: startup.symbols,
        client,
        firstMs: median(runs.map((run) => run.firstMs)),
        medianMs: median(runs.map((run) => run.medianMs)),
        allMs: median(runs.map((run) => run.allMs)),
        attempts: runs,
      });
    }
  }
  return {
    date: new Date().toISOString(),
    machine: machine(loadAtStart),
    seed: options.seed,
    repeat,
    ...(options.snapshotPacing ? { snapshotPacing: options.snapshotPacing } : {}),
    ...(options.okxSubscribe ? { okxSubscribe: options.okxSubscribe } : {}),
    ...(options.okxSnapshotPush === false ? { okxSnapshotPush: false } : {}),
    entries,
  };
}

const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(0) : 'n/a');
const ratio = (ours: number, theirs: number): string =>
  Number.isFinite(ours) && Number.isFinite(theirs) && theirs > 0 ? `${(ours / theirs).toFixed(2)}×` : 'n/a';

/** The first-book table: per case, ccxt and ours side by side, ratios ours/ccxt. */
export function firstBookMarkdown(result: FirstBookResult): string {
  const pacing =
    (result.snapshotPacing
      ? ` · ours' Binance snapshots ${result.snapshotPacing.maxConcurrent} at once, ${result.snapshotPacing.minIntervalMs} ms apart`
      : '') +
    (result.okxSubscribe
      ? ` · ours' OKX subscribes ${result.okxSubscribe.instrumentsPerSubscribe} instrument(s) each, ${result.okxSubscribe.subscribeIntervalMs} ms apart`
      : '') +
    (result.okxSnapshotPush === false ? ' · OKX without the snapshot push (books from REST)' : '');
  const lines = [
    '## Time to the first live book',
    '',
    `${result.date} · ${result.machine.cpu} × ${result.machine.cores} · Node ${result.machine.node} · ` +
      `load ${result.machine.loadAverageAtStart.join(' ')} · seed ${result.seed} · median of ${result.repeat} ` +
      `attempt(s)${pacing} · ms from the client's start (loadMarkets included, imports excluded)`,
    '',
    '| case | ccxt first | ccxt median | ccxt all | ours first | ours median | ours all | ours/ccxt median | ours/ccxt all |',
    '| ---- | ---------: | ----------: | -------: | ---------: | ----------: | -------: | ---------------: | ------------: |',
  ];
  const cases = [...new Set(result.entries.map((entry) => entry.case))];
  for (const name of cases) {
    const ccxt = result.entries.find((entry) => entry.case === name && entry.client === 'ccxt');
    const ours = result.entries.find((entry) => entry.case === name && entry.client === 'ours-book');
    if (!ours) continue;
    const [first, middle, all] = ccxt
      ? [ccxt.firstMs, ccxt.medianMs, ccxt.allMs]
      : [Number.NaN, Number.NaN, Number.NaN];
    lines.push(
      `| ${name} | ${ms(first)} | ${ms(middle)} | ${ms(all)} | ${ms(ours.firstMs)} | ` +
        `${ms(ours.medianMs)} | ${ms(ours.allMs)} | ${ratio(ours.medianMs, middle)} | ${ratio(ours.allMs, all)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
