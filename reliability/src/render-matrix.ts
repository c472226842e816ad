#!/usr/bin/env node
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseResult } from './case-runner.js';
import { RESULTS_DIR, readMatrix } from './results.js';
import type { SoakReport } from './soak-run.js';

const PROVIDERS = ['stream', 'ws', 'failover', 'rest'] as const;

function cell(result: CaseResult | undefined): string {
  if (!result) return '—';
  if (result.knownIssue) return 'known bug ✗';
  if (!result.pass) return `FAIL: ${result.failures[0]?.slice(0, 60) ?? ''}`;
  const tries = (result.attempts ?? 1) > 1 ? ` (try ${result.attempts})` : '';
  return result.recoveryMs === null ? `✓${tries}` : `✓ ${result.recoveryMs} ms${tries}`;
}

/** The fault matrix as a markdown table: one row per scenario and exchange, one column per provider. */
export function renderMatrix(results: readonly CaseResult[]): string {
  const rows = new Map<string, CaseResult[]>();
  for (const result of results) {
    const key = `${result.scenarioId}|${result.exchange}`;
    rows.set(key, [...(rows.get(key) ?? []), result]);
  }
  const keys = [...rows.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const lines = [
    '| # | scenario | exchange | bound (test scale) | stream | ws | failover | rest | checked live books | errors seen (codes) |',
    '| - | -------- | -------- | ------------------ | ------ | -- | -------- | ---- | ------------------ | ------------------- |',
  ];
  for (const key of keys) {
    const cases = rows.get(key)!;
    const first = cases[0]!;
    const byKind = (kind: string) => cases.find((c) => c.provider === kind);
    const checked = cases.reduce((n, c) => n + c.verifiedAgainstTruth, 0);
    const codes = new Map<string, number>();
    for (const c of cases)
      for (const [code, n] of Object.entries(c.errors)) codes.set(code, (codes.get(code) ?? 0) + n);
    const errorText = [...codes.entries()].map(([code, n]) => `${code}×${n}`).join(' ') || 'none';
    lines.push(
      `| ${first.scenarioId} | ${first.name} | ${first.exchange} | ${first.bound} | ${PROVIDERS.map((p) => cell(byKind(p))).join(' | ')} | ${checked} | ${errorText} |`,
    );
  }
  const total = results.length;
  const passed = results.filter((r) => r.pass).length;
  const known = results.filter((r) => r.knownIssue).length;
  const failed = total - passed - known;
  const checked = results.reduce((n, r) => n + r.verifiedAgainstTruth, 0);
  lines.push(
    '',
    `${total} cases: ${passed} pass, ${known} reproduce a known bug (see "Known bugs found by the matrix"), ${failed} other failures. ` +
      `${checked} live books were compared level by level with the simulator's true book at their own sequence/timestamp. ` +
      '"✓ N ms" = recovered N ms after the fault ended (0: never left live or recovered before it ended); ' +
      '"(try n)" = passed on the n-th attempt (timing failures on the loaded machine are retried up to twice).',
  );
  const other = results.filter((r) => !r.pass && !r.knownIssue);
  if (other.length > 0) {
    lines.push('', 'Other failures in this run:', '');
    for (const r of other)
      lines.push(`- ${r.scenarioId}/${r.exchange}/${r.provider}: ${r.failures.slice(0, 2).join('; ')}`);
  }
  return lines.join('\n');
}

/** The cases that reproduce a known bug, grouped by bug. */
export function renderKnown(results: readonly CaseResult[]): string {
  const lines: string[] = [];
  const knownCases = results.filter((r) => r.knownIssue);
  if (knownCases.length > 0) {
    const byReason = new Map<string, string[]>();
    for (const r of knownCases) {
      byReason.set(r.knownIssue!, [
        ...(byReason.get(r.knownIssue!) ?? []),
        `${r.scenarioId}/${r.exchange}/${r.provider}`,
      ]);
    }
    for (const [reason, where] of byReason) lines.push(`- ${where.join(', ')}: ${reason}`);
  }
  return lines.join('\n') || 'None.';
}

/** The soak reports found in results/ (soak-*.json), one line each. */
export function renderSoaks(reports: readonly { file: string; report: SoakReport }[]): string {
  const lines = [
    '| run | provider | seed | duration | books | faults | dials / reconnect faults | resyncs / resync faults (Binance) | heap after warm-up → end → after stop (MB) | live books checked | result |',
    '| --- | -------- | ---- | -------- | ----- | ------ | ------------------------ | --------------------------------- | ------------------------------------------ | ------------------ | ------ |',
  ];
  for (const { file, report } of reports) {
    const faults = Object.values(report.faults).reduce((a, b) => a + b, 0);
    const dials = Object.entries(report.perExchange)
      .map(([ex, s]) => `${ex} ${s.dials}/${s.reconnectFaults}`)
      .join(', ');
    const binance = report.perExchange.binance;
    lines.push(
      `| ${file} | ${report.provider} | ${report.seed} | ${Math.round(report.durationMs / 1000)} s | ${report.instruments} | ${faults} | ${dials} | ${binance ? `${binance.resyncs}/${binance.resyncFaults}` : '—'} | ${report.heapMb.baseline} → ${report.heapMb.end} → ${report.heapMb.afterStop} | ${report.verifiedAgainstTruth} | ${report.pass ? 'pass' : `FAIL: ${report.failures.join('; ')}`} |`,
    );
  }
  return lines.join('\n');
}

function readSoaks(): { file: string; report: SoakReport }[] {
  return readdirSync(RESULTS_DIR)
    .filter((name) => /^soak-.*\.json$/.test(name))
    .map((name) => ({
      file: name,
      report: JSON.parse(readFileSync(join(RESULTS_DIR, name), 'utf8')) as SoakReport,
    }));
}

function replaceBetween(text: string, marker: string, content: string): string {
  const start = `<!-- ${marker}:start -->`;
  const end = `<!-- ${marker}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`markers ${start} … ${end} not found`);
  return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`;
}

/** `render-matrix.js` prints the table; `render-matrix.js --write RELIABILITY.md` fills its marked sections. */
function main(argv: readonly string[]): void {
  const results = readMatrix();
  const target = argv[0] === '--write' ? argv[1] : undefined;
  if (!target) {
    process.stdout.write(`${renderMatrix(results)}\n`);
    return;
  }
  let text = readFileSync(target, 'utf8');
  text = replaceBetween(text, 'matrix', renderMatrix(results));
  text = replaceBetween(text, 'known', renderKnown(results));
  text = replaceBetween(text, 'soak', renderSoaks(readSoaks()));
  writeFileSync(target, text);
  process.stdout.write(`${target}: matrix (${results.length} cases), known bugs and soak sections updated\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
