import { parseArgs } from 'node:util';
import { runScale, type ScaleResult } from './run.js';

const USAGE = `Usage: pnpm bench:scale [--json] [--seconds <steady-state s>] [--seed <n>] [--smoke]
Every Upbit KRW and Binance USDT market of the simulator's full universe (250 + 400 books) in one
WebSocketMarketDataProvider (a child process): time until all live, peak RSS, CPU, event-loop delay,
book age. --json prints exactly one JSON object.`;

function format(result: ScaleResult): string {
  const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a');
  const rows: Array<[string, string, string]> = [
    [
      'books (Upbit KRW + Binance USDT)',
      `${result.books} (${result.upbitBooks} + ${result.binanceBooks})`,
      '',
    ],
    ['books ever live', String(result.booksLive), ''],
    ['all live after', ms(result.allLiveMs), `< ${result.targets.allLiveMs / 1000} s`],
    ...Object.entries(result.allLiveMsByExchange).map(([exchange, at]): [string, string, string] => [
      `  ${exchange} all live after`,
      ms(at),
      '',
    ]),
    ['peak RSS', `${result.peakRssMb.toFixed(1)} MB`, `< ${result.targets.peakRssMb} MB`],
    ['event-loop delay p99 (steady)', ms(result.loopDelayP99Ms), `< ${result.targets.loopDelayP99Ms} ms`],
    ['event-loop delay max (steady)', ms(result.loopDelayMaxMs), ''],
    ['event-loop delay p99 (start-up)', ms(result.startupLoopDelayP99Ms), ''],
    ['event-loop delay p99 (idle, before)', ms(result.baselineLoopDelayP99Ms), ''],
    ['CPU (steady, % of one core)', `${result.cpuPercent.toFixed(1)} %`, ''],
    ['CPU (start-up, % of one core)', `${result.startupCpuPercent.toFixed(1)} %`, ''],
    ['updates per second (steady)', result.updatesPerSecond.toFixed(0), ''],
    ['CPU per update', `${result.cpuPerUpdateUs.toFixed(1)} µs`, ''],
    ['book age p50 / p99, all books', `${ms(result.bookAgeP50Ms)} / ${ms(result.bookAgeP99Ms)}`, ''],
    ['book age p99, busy books', ms(result.busyBookAgeP99Ms), ''],
    ['share of books live (steady)', `${(result.liveShare * 100).toFixed(1)} %`, ''],
    ['exchange limits hit', JSON.stringify(result.limitHits), 'none'],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = rows.map(([name, value, target]) => `${name.padEnd(width)}  ${value.padEnd(22)}${target}`);
  return [
    `bench:scale · ${result.date} · ${result.cpus} CPUs · load ${result.loadAverage.map((l) => l.toFixed(2)).join(' ')} · seed ${result.seed}`,
    ...lines,
    result.targetsMet ? 'targets met' : 'TARGETS MISSED',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean' },
      seconds: { type: 'string' },
      seed: { type: 'string' },
      smoke: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const steadyS = values.seconds === undefined ? 30 : Number(values.seconds);
  if (!(steadyS > 0)) throw new Error(`--seconds must be a positive number, got ${values.seconds}`);
  const result = await runScale({
    seed: values.seed === undefined ? 1 : Number(values.seed),
    universe: values.smoke ? 'smoke' : 'full',
    steadyMs: steadyS * 1000,
  });
  process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${format(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
