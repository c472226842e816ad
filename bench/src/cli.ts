import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { allLiveMarkdown, runAllLive } from './all-live.js';
import { firstBookMarkdown, runFirstBook } from './first-book.js';
import type { ClientKind, ExchangeKind } from './protocol.js';
import { markdown } from './report.js';
import { runSuite } from './suite.js';

const HELP = `Usage: node bench/dist/cli.js [options]
  --smoke              tiny workloads (seconds), results to a temporary directory unless --out
  --full-paced         paced runs with the issue's full counts (1×50k takes 500 s per client)
  --exchange <name>    binance, upbit or okx (repeatable; default all three)
  --client <name>      floor, ccxt, ours (provider, onSnapshot) or ours-book (provider, onBookUpdate);
                       repeatable; default all four
  --only <kind>        unpaced or paced: run only those workloads; first-book: only the time to the
                       first live book (ours and ccxt, quiet and active market, 1 and 20 symbols;
                       results/first-book); all-live: only the time until every Binance symbol is
                       live for 20/100/400 symbols at depth 100/1000/5000 (computed, and measured
                       when it takes under 6 min: ~13 min in all; results/all-live)
  --repeat-first-book <n>  first-book attempts per client and case, median kept (default 3)
  --symbols <n>        all-live: measure only these symbol counts (repeatable)
  --depth <n>          all-live: measure only these snapshot depths (repeatable)
  --snapshot-pacing <c,ms>  first-book: ours' Binance snapshots c at once, ms apart (diagnosis;
                       default the plugin's 2,100)
  --okx-subscribe <n,ms>  first-book: ours' OKX subscribes n instruments per request, ms apart
                       (diagnosis; default the plugin's)
  --no-okx-snapshot-push  first-book: the simulator sends no OKX snapshot push on subscribe (as OKX
                       announced), so books come from REST
  --ours-via <mode>    provider (default when available) or stream (the exchange stream directly)
  --no-micro           skip the package micro-benchmarks
  --paced-warmup <s>   seconds of paced feed before each paced run is measured (diagnosis; default 0)
  --node-flag <flag>   a Node/V8 flag for every client process alike (repeatable; diagnosis only)
  --cpu-prof <dir>     write a V8 CPU profile of every client process to <dir>
  --seed <n>           simulator seed (default 7)
  --repeat <n>         unpaced runs per client, in rounds, fastest kept (default 2; the smoke suite: 1)
  --repeat-paced <n>   paced runs per client, in rounds, median p99 kept (default 3; the smoke suite: 1)
  --out <dir>          where latest.md and latest.json go (default bench/results)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      'full-paced': { type: 'boolean', default: false },
      exchange: { type: 'string', multiple: true },
      client: { type: 'string', multiple: true },
      'ours-via': { type: 'string' },
      only: { type: 'string' },
      'no-micro': { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      'node-flag': { type: 'string', multiple: true },
      'paced-warmup': { type: 'string' },
      seed: { type: 'string', default: '7' },
      repeat: { type: 'string', default: '2' },
      'repeat-paced': { type: 'string', default: '3' },
      'repeat-first-book': { type: 'string', default: '3' },
      symbols: { type: 'string', multiple: true },
      depth: { type: 'string', multiple: true },
      'snapshot-pacing': { type: 'string' },
      'okx-subscribe': { type: 'string' },
      'no-okx-snapshot-push': { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const exchanges = (values.exchange ?? ['binance', 'upbit', 'okx']) as ExchangeKind[];
  const clients = (values.client ?? ['floor', 'ccxt', 'ours', 'ours-book']) as ClientKind[];
  for (const name of exchanges)
    if (!['binance', 'upbit', 'okx'].includes(name)) throw new Error(`unknown exchange ${name}\n${HELP}`);
  for (const name of clients)
    if (!['floor', 'ccxt', 'ours', 'ours-book'].includes(name))
      throw new Error(`unknown client ${name}\n${HELP}`);
  const only = values.only;
  if (only !== undefined && !['unpaced', 'paced', 'first-book', 'all-live'].includes(only))
    throw new Error(`--only must be unpaced, paced, first-book or all-live\n${HELP}`);
  const via = values['ours-via'];
  if (via !== undefined && via !== 'provider' && via !== 'stream')
    throw new Error(`--ours-via must be provider or stream\n${HELP}`);
  const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const out =
    values.out ??
    (values.smoke
      ? path.join(os.tmpdir(), `arbitrage-bench-smoke-${process.pid}`)
      : path.join(benchDir, 'results', only === 'first-book' || only === 'all-live' ? only : ''));
  const log = (line: string): void => console.error(line);
  const seed = Number(values.seed);
  const write = (json: unknown, md: string): void => {
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
    writeFileSync(path.join(out, 'latest.md'), md);
    console.log(md);
    console.error(`results: ${path.join(out, 'latest.md')} and latest.json`);
  };
  const pacing = values['snapshot-pacing']?.split(',').map(Number);
  if (pacing && (pacing.length !== 2 || pacing.some((n) => !(n >= 0))))
    throw new Error(`--snapshot-pacing takes <maxConcurrent>,<minIntervalMs>, e.g. 20,0\n${HELP}`);
  const snapshotPacing = pacing ? { maxConcurrent: pacing[0]!, minIntervalMs: pacing[1]! } : undefined;
  const subscribe = values['okx-subscribe']?.split(',').map(Number);
  if (subscribe && (subscribe.length !== 2 || !(subscribe[0]! >= 1) || !(subscribe[1]! >= 0)))
    throw new Error(`--okx-subscribe takes <instrumentsPerSubscribe>,<intervalMs>, e.g. 20,0\n${HELP}`);
  const okxSubscribe = subscribe
    ? { instrumentsPerSubscribe: subscribe[0]!, subscribeIntervalMs: subscribe[1]! }
    : undefined;
  const firstBook = () =>
    runFirstBook({
      smoke: values.smoke,
      exchanges,
      seed,
      repeat: values.smoke ? 1 : Number(values['repeat-first-book']),
      ...(snapshotPacing ? { snapshotPacing } : {}),
      ...(okxSubscribe ? { okxSubscribe } : {}),
      ...(values['no-okx-snapshot-push'] ? { okxSnapshotPush: false } : {}),
      log,
    });
  if (only === 'first-book') {
    const result = await firstBook();
    write(result, firstBookMarkdown(result));
    return;
  }
  if (only === 'all-live') {
    const result = await runAllLive({
      seed,
      ...(values.symbols ? { symbols: values.symbols.map(Number) } : {}),
      ...(values.depth ? { depths: values.depth.map(Number) } : {}),
      log,
    });
    write(result, allLiveMarkdown(result));
    return;
  }
  const result = await runSuite({
    smoke: values.smoke,
    fullPaced: values['full-paced'],
    ...(only === 'unpaced' || only === 'paced' ? { only } : {}),
    exchanges,
    clients,
    micro: !values['no-micro'] && !values.smoke,
    root: path.resolve(benchDir, '..'),
    seed,
    compareLevels: 100,
    ...(via ? { oursVia: via } : {}),
    ...(values['cpu-prof'] ? { cpuProfileDir: path.resolve(values['cpu-prof']) } : {}),
    ...(values['node-flag'] ? { clientNodeFlags: values['node-flag'] } : {}),
    ...(values['paced-warmup'] ? { pacedWarmupSeconds: Number(values['paced-warmup']) } : {}),
    log,
    concurrency: values.smoke ? 3 : 1,
    repeatUnpaced: values.smoke ? 1 : Number(values.repeat),
    repeatPaced: values.smoke ? 1 : Number(values['repeat-paced']),
  });
  // The whole suite (and the smoke one) ends with the first-book comparison.
  const first = only === undefined ? await firstBook() : undefined;
  write(
    first ? { ...result, firstBook: first } : result,
    first ? `${markdown(result)}\n${firstBookMarkdown(first)}` : markdown(result),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
