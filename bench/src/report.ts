import os from 'node:os';
import type { MicroResult } from './micro.js';
import type { RunResult } from './run.js';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  readonly platform: string;
  readonly memoryGb: number;
  readonly loadAverageAtStart: readonly number[];
  readonly loadAverageAtEnd: readonly number[];
}

export interface Target {
  readonly target: string;
  readonly workload: string;
  readonly measured: string;
  readonly met: boolean;
}

export interface SuiteResult {
  readonly date: string;
  readonly machine: Machine;
  readonly seed: number;
  readonly compareLevels: number;
  readonly repeatUnpaced: number;
  readonly repeatPaced: number;
  /** Node/V8 flags every client ran with (--node-flag), if any. */
  readonly clientNodeFlags?: readonly string[];
  /** Seconds of paced feed before each paced run was measured (--paced-warmup), if any. */
  readonly pacedWarmupSeconds?: number;
  readonly runs: readonly RunResult[];
  readonly targets: readonly Target[];
  readonly micro: readonly MicroResult[];
}

export function machine(loadAtStart: readonly number[]): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverageAtStart: loadAtStart.map((l) => Number(l.toFixed(2))),
    loadAverageAtEnd: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

const OURS = ['ours', 'ours-book'] as const;

const find = (runs: readonly RunResult[], workload: string, client: RunResult['client']) =>
  runs.find((run) => run.workload === workload && run.client === client);

const fmt = (value: number, digits = 0): string =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';

/** Each issue-7 target, per workload it applies to, met or not. */
export function evaluateTargets(runs: readonly RunResult[], micro: readonly MicroResult[]): Target[] {
  const targets: Target[] = [];
  const workloads = [...new Set(runs.map((run) => run.workload))];
  for (const workload of workloads) {
    const ccxt = find(runs, workload, 'ccxt');
    const floor = find(runs, workload, 'floor');
    for (const kind of OURS) {
      const ours = find(runs, workload, kind);
      if (!ours) continue;
      const add = (target: string, measured: string, met: boolean): void => {
        targets.push({ target: `${kind}: ${target}`, workload, measured, met });
      };
      if (!ours.paced) {
        if (ccxt) {
          const ratio = ours.updatesPerSecond / ccxt.updatesPerSecond;
          add('throughput ≥ 3× ccxt', `${fmt(ratio, 2)}×`, ratio >= 3);
        }
        if (floor) {
          const ratio = ours.updatesPerSecond / floor.updatesPerSecond;
          add('throughput ≥ 0.9× floor', `${fmt(ratio, 2)}×`, ratio >= 0.9);
        }
      } else if (floor?.latency && ours.latency) {
        const p99 = ours.latency.p99Ms / floor.latency.p99Ms;
        add('paced p99 latency ≤ 1.5× floor', `${fmt(p99, 2)}×`, p99 <= 1.5);
        const cpu = ours.cpuMicrosPerUpdate / floor.cpuMicrosPerUpdate;
        add('CPU per paced update ≤ 1.5× floor', `${fmt(cpu, 2)}×`, cpu <= 1.5);
      }
      if (floor) {
        const extra = ours.peakRssMb - floor.peakRssMb;
        add('peak RSS ≤ floor + 25 MB', `${extra >= 0 ? '+' : ''}${fmt(extra, 1)} MB`, extra <= 25);
      }
      add('final books equal the true books', String(ours.booksEqual), ours.booksEqual === true);
    }
  }
  const engine = micro.find((m) => m.engineP99Us !== undefined);
  if (engine?.engineP99Us !== undefined) {
    targets.push({
      target: 'engine evaluation p99 < 50 µs',
      workload: 'engine micro-benchmark',
      measured: `${engine.engineP99Us} µs`,
      met: engine.engineP99Us < 50,
    });
  }
  return targets;
}

function attemptsNote(result: SuiteResult): string {
  const parts: string[] = [];
  if (result.repeatUnpaced > 1)
    parts.push(`unpaced runs: fastest of ${result.repeatUnpaced} attempts per client`);
  if (result.repeatPaced > 1)
    parts.push(`paced runs: the attempt with the median p99 of ${result.repeatPaced}`);
  if (parts.length === 0) return '.';
  return `; ${parts.join('; ')}; attempts run in rounds, every client once per round (every attempt in latest.json).`;
}

/** The markdown report: machine, the side-by-side table, ratios, targets, micro-benchmark outputs. */
export function markdown(result: SuiteResult): string {
  const m = result.machine;
  const lines: string[] = [];
  lines.push(
    `Measured ${result.date} on ${m.cores} × ${m.cpu}, ${m.memoryGb} GB, Node ${m.node}, ${m.platform}; ` +
      `load average ${m.loadAverageAtStart.join(' / ')} at start, ${m.loadAverageAtEnd.join(' / ')} at end (1/5/15 min). ` +
      `Seed ${result.seed}; books compared on the top ${result.compareLevels} levels per side` +
      attemptsNote(result) +
      (result.clientNodeFlags?.length
        ? ` Every client ran with \`${result.clientNodeFlags.join(' ')}\`.`
        : '') +
      (result.pacedWarmupSeconds
        ? ` Paced runs were measured after ${result.pacedWarmupSeconds} s of the paced feed.`
        : ''),
    '',
    '| workload | client | updates/s | p50 ms | p99 ms | max ms | CPU µs/update | peak RSS MB | books equal |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: |',
  );
  for (const run of result.runs) {
    const l = run.latency;
    lines.push(
      `| ${run.workload} | ${run.client}${run.complete ? '' : ' (incomplete)'} | ${fmt(run.updatesPerSecond)} | ${l ? fmt(l.p50Ms, 2) : ''} | ${
        l ? fmt(l.p99Ms, 2) : ''
      } | ${l ? fmt(l.maxMs, 2) : ''} | ${fmt(run.cpuMicrosPerUpdate, 1)} | ${fmt(run.peakRssMb, 1)} | ${
        run.booksEqual === null ? 'n/a' : run.booksEqual ? 'yes' : 'NO'
      } |`,
    );
  }
  lines.push(
    '',
    'Ratios: throughput on unpaced runs; p99 latency and CPU per update on paced runs.',
    '',
    '| workload | ours/ccxt | ours/floor | ours-book/ccxt | ours-book/floor | ccxt/floor |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const workload of [...new Set(result.runs.map((run) => run.workload))]) {
    const ours = find(result.runs, workload, 'ours');
    const book = find(result.runs, workload, 'ours-book');
    const ccxt = find(result.runs, workload, 'ccxt');
    const floor = find(result.runs, workload, 'floor');
    const ratio = (a: RunResult | undefined, b: RunResult | undefined): string => {
      if (!a || !b) return 'n/a';
      if (!a.paced) return `${fmt(a.updatesPerSecond / b.updatesPerSecond, 2)}×`;
      const p99 = a.latency && b.latency ? fmt(a.latency.p99Ms / b.latency.p99Ms, 2) : 'n/a';
      return `${p99}× p99, ${fmt(a.cpuMicrosPerUpdate / b.cpuMicrosPerUpdate, 2)}× CPU`;
    };
    lines.push(
      `| ${workload} | ${ratio(ours, ccxt)} | ${ratio(ours, floor)} | ${ratio(book, ccxt)} | ${ratio(book, floor)} | ${ratio(ccxt, floor)} |`,
    );
  }
  lines.push('', '| target | workload | measured | met? |', '| --- | --- | ---: | :---: |');
  for (const target of result.targets) {
    lines.push(
      `| ${target.target} | ${target.workload} | ${target.measured} | ${target.met ? 'met' : '**not met**'} |`,
    );
  }
  const implementations = [...new Set(result.runs.map((run) => `${run.client}: ${run.implementation}`))];
  lines.push('', `Clients: ${implementations.join('; ')}.`);
  for (const micro of result.micro) {
    lines.push(
      '',
      `### ${micro.name}`,
      '',
      `\`${micro.command}\` (exit ${micro.exitCode})`,
      '',
      '```',
      micro.output.trim(),
      '```',
    );
  }
  return `${lines.join('\n')}\n`;
}
