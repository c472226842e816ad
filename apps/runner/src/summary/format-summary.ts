import type { RunSummary } from './run-summary.js';

const pct = (value: number): string => (Number.isFinite(value) ? `${(value * 100).toFixed(3)} %` : 'n/a');
const num = (value: number, digits = 0): string =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';
const record = (values: Record<string, number>): string =>
  Object.keys(values).length === 0
    ? 'none'
    : Object.entries(values)
        .map(([key, count]) => `${key} ${count}`)
        .join(', ');

/** The summary for people (without --json). */
export function formatSummary(summary: RunSummary): string {
  const feeds = Object.entries(summary.feedHealth.instruments).map(
    ([id, feed]) =>
      `    ${id.padEnd(20)} ${feed.state.padEnd(9)} via ${feed.source.padEnd(4)} updates ${feed.counters.updates}, resyncs ${feed.counters.resyncs}, gaps ${feed.counters.gaps}${feed.reason ? ` (${feed.reason})` : ''}`,
  );
  const premiums = Object.entries(summary.premiums).map(
    ([asset, premium]) =>
      `    ${asset.padEnd(6)} mid ${pct(premium.midPremium)}, net sell-KRW ${pct(premium.sellKrwNet)}, net buy-KRW ${pct(premium.buyKrwNet)}`,
  );
  const { loops, pnl, trades } = summary;
  return [
    `=== ${summary.label} · paper trading summary ===`,
    `  duration      ${(summary.durationMs / 1000).toFixed(1)} s (${summary.stopReason}), source ${summary.source}`,
    `  loops         ${loops.count} (of ${summary.updates} updates); arrival → decision p50 ${num(loops.p50Us, 1)} µs, p99 ${num(loops.p99Us, 1)} µs, max ${num(loops.maxUs, 1)} µs`,
    `  trades        opened ${trades.opened}, closed ${trades.closed}, open ${trades.open}, failed to open ${trades.openFailed}`,
    `  PnL           ${num(pnl.totalKrw)} KRW (${num(pnl.totalUsd, 2)} USD); realised ${num(pnl.realisedKrw)} KRW, unrealised ${num(pnl.unrealisedKrw)} KRW`,
    `  active orders ${summary.activeOrders}`,
    `  refusals      ${record(summary.guardRefusals)}${summary.halt.halted ? ` · HALTED: ${summary.halt.reason}` : ''}`,
    `  skips         ${record(summary.skipReasons)}`,
    '  premiums',
    ...premiums,
    `  feeds         ${summary.feedHealth.allLive ? 'all live' : 'NOT all live'}${summary.feedHealth.sourceSwitches === undefined ? '' : `, ${summary.feedHealth.sourceSwitches} source switches`}`,
    ...feeds,
    '',
  ].join('\n');
}
