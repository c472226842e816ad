import { fileURLToPath } from 'node:url';
import { startNatsServer, startNodeScript, waitFor } from '@arbitrage/test-support';
import { connect } from '@nats-io/transport-node';
import { expect, it } from 'vitest';

const FEED = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const RUNNER = fileURLToPath(new URL('../../runner/dist/main.js', import.meta.url));

function start(script: string, args: string[]) {
  const running = startNodeScript(script, args);
  return { ...running, exited: running.finished.then((finished) => finished.code) };
}

interface TracedBook {
  readonly msg: string;
  readonly feed: string;
  readonly instrument: string;
  readonly seq: number;
  readonly bids: unknown;
  readonly asks: unknown;
}

/** The 'book published' / 'book taken' lines of a process's log (`--log-level trace`). */
function tracedBooks(log: string, msg: string): TracedBook[] {
  const books: TracedBook[] = [];
  for (const line of log.split('\n')) {
    if (!line.includes(`"msg":"${msg}"`)) continue;
    books.push(JSON.parse(line) as TracedBook);
  }
  return books;
}

interface Summary {
  trades: { opened: number };
  feedHealth: { instruments: Record<string, { state: string; counters: { updates: number; gaps: number } }> };
  tradeLog: Array<{ krw: { exchange: string; symbol: string }; usdt: { exchange: string; symbol: string } }>;
}

it('pnpm feed on the simulator and two paper --source nats runs: both trade the demo spike on books equal to the feed’s', async () => {
  const server = await startNatsServer();
  const spy = await connect({ servers: server.url });
  const books = new Map<string, number>();
  spy.subscribe('md.book.>', {
    callback: (_error, msg) => {
      books.set(msg.subject, (books.get(msg.subject) ?? 0) + 1);
    },
  });
  const feed = start(FEED, ['--nats', server.url, '--market', 'sim', '--log-level', 'trace']);
  const runs: Array<ReturnType<typeof start>> = [];
  try {
    await waitFor(
      () => feed.stderr().includes('feed started'),
      30_000,
      () => feed.stderr(),
    );
    for (let i = 0; i < 2; i++) {
      runs.push(
        start(RUNNER, [
          'paper',
          '--source',
          'nats',
          '--nats-url',
          server.url,
          '--duration',
          '25s',
          '--json',
          '--status-interval',
          '0',
          '--log-level',
          'trace',
        ]),
      );
    }
    const codes = await Promise.all(runs.map((run) => run.exited));
    for (const [i, run] of runs.entries()) {
      expect(codes[i], run.stderr().slice(-2_000)).toBe(0);
      const summary = JSON.parse(run.stdout().trim()) as Summary;
      expect(summary.trades.opened, run.stderr().slice(-2_000)).toBeGreaterThan(0);
      for (const [id, health] of Object.entries(summary.feedHealth.instruments)) {
        expect(health.state, id).toBe('live');
        expect(health.counters.updates, id).toBeGreaterThan(10);
      }
    }
    // Every market the runs read came from the feed.
    for (const subject of ['md.book.upbit.BTC_KRW', 'md.book.binance.BTC_USDT', 'md.book.upbit.USDT_KRW']) {
      expect(books.get(subject) ?? 0, subject).toBeGreaterThan(10);
    }
    feed.child.kill('SIGTERM');
    expect(await feed.exited).toBe(0);
    // Books equal to the feed's: every book a run took is, level for level, the one the feed
    // published under that (feed run, instrument, seq).
    const published = new Map<string, TracedBook>();
    for (const book of tracedBooks(feed.stderr(), 'book published')) {
      published.set(`${book.feed}|${book.instrument}|${book.seq}`, book);
    }
    expect(published.size).toBeGreaterThan(500);
    for (const run of runs) {
      const taken = tracedBooks(run.stderr(), 'book taken');
      expect(taken.length).toBeGreaterThan(200);
      for (const book of taken) {
        const key = `${book.feed}|${book.instrument}|${book.seq}`;
        const original = published.get(key);
        expect(original, key).toBeDefined();
        expect([book.bids, book.asks], key).toEqual([original!.bids, original!.asks]);
      }
    }
  } finally {
    feed.child.kill('SIGKILL');
    for (const run of runs) run.child.kill('SIGKILL');
    await spy.close();
    await server.stop();
  }
}, 120_000);
