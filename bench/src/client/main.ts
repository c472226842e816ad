import type { ClientConfig, ClientMessage, ParentMessage } from '../protocol.js';
import type { RunningClient } from './client.js';
import { clientFactory } from './factory.js';
import { GcWatch } from './gc-watch.js';
import { peakRssKb } from './peak-rss.js';
import { Recorder } from './recorder.js';

/**
 * One benchmark client in its own process (forked by the harness with an IPC channel). It keeps
 * books from the simulator, records when each book reflects each update, and reports its CPU time,
 * its own peak RSS and its final books.
 */
function send(message: ClientMessage): void {
  process.send?.(message);
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as ClientConfig;
  const recorder = new Recorder(config.symbols, config.capacity);
  let cpuAtStart = process.cpuUsage();
  const gc = new GcWatch();
  let client: RunningClient | undefined;

  const report = (): void => {
    const cpu = process.cpuUsage(cpuAtStart);
    const collections = gc.summary();
    send({
      type: 'report',
      complete: recorder.complete,
      completedAt: recorder.completionTime,
      cpuMicros: cpu.user + cpu.system,
      peakRssKb: peakRssKb(),
      applied: recorder.applied(),
      books: client?.books(config.compareLevels),
      notes: {
        ...client?.notes(),
        gcPauses: collections.count,
        gcMajor: collections.major,
        gcTotalMs: round(collections.totalMs),
        gcMaxMs: round(collections.maxMs),
      },
    });
  };

  // The harness gone (killed, crashed): nothing will ask for a report, so leave at once.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: ParentMessage) => {
    switch (message.type) {
      case 'start':
        recorder.reset();
        cpuAtStart = process.cpuUsage();
        gc.reset();
        send({ type: 'started' });
        break;
      case 'expect':
        recorder.expect(message.finalIds, report);
        break;
      case 'report':
        report();
        break;
      case 'exit':
        void (async () => {
          try {
            await client?.close();
          } finally {
            process.disconnect?.();
            process.exit(0);
          }
        })();
        break;
    }
  });

  const start = await clientFactory(config.client);
  send({ type: 'loaded' });
  client = await start(config, recorder);
  recorder.whenAllSeen(() => send({ type: 'ready' }));
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  setTimeout(() => process.exit(1), 100);
});
