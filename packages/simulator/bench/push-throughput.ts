import { Worker } from 'node:worker_threads';
import { startSimulator } from '@arbitrage/simulator';

/**
 * Measures how many Binance diff-depth updates per second the simulator pushes to one client over
 * loopback, respecting backpressure. Usage: pnpm --filter @arbitrage/simulator bench [updates=500000]
 * [--parse]. Benchmark code, not part of the package: it builds to `.bench/`.
 */
interface Done {
  readonly type: 'done';
  readonly received: number;
  readonly gaps: number;
  readonly bytes: number;
}

async function main(): Promise<void> {
  const count = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 500_000);
  const parse = process.argv.includes('--parse');
  const sim = await startSimulator({ autoStart: false });
  const worker = new Worker(new URL('./push-client.js', import.meta.url), {
    workerData: { url: `${sim.binance.wsUrl}/ws/btcusdt@depth@100ms`, count, parse },
  });
  try {
    const messages: Array<{ type: string }> = [];
    const next = (type: string): Promise<unknown> =>
      new Promise((resolve, reject) => {
        const check = (message: { type: string; message?: string }): void => {
          if (message.type === 'error') reject(new Error(message.message));
          else if (message.type === type) resolve(message);
          else return;
          worker.off('message', check);
        };
        for (const message of messages) check(message);
        worker.on('message', check);
        worker.once('error', reject);
      });
    await next('ready');
    // Wait until the server has registered the subscription.
    while (sim.connections('binance')[0]?.subscriptions.length !== 1)
      await new Promise((r) => setTimeout(r, 5));
    const started = performance.now();
    const pumped = sim.market.pump({ symbols: ['BTCUSDT'], count });
    const done = (await next('done')) as Done;
    const elapsed = performance.now() - started;
    const pump = await pumped;
    const rate = (done.received * 1000) / elapsed;
    const result = {
      updates: done.received,
      gaps: done.gaps,
      seconds: Number((elapsed / 1000).toFixed(3)),
      updatesPerSecond: Math.round(rate),
      megabytesPerSecond: Number((((done.bytes / elapsed) * 1000) / 1e6).toFixed(1)),
      avgFrameBytes: Math.round(done.bytes / done.received),
      clientParsesJson: parse,
      pumpUpdatesPerSecond: Math.round(pump.updatesPerSecond),
    };
    console.log(JSON.stringify(result));
  } finally {
    await worker.terminate();
    await sim.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
