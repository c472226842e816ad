import type { ClientConfig, ClientMessage, ParentMessage } from '../protocol.js';
import type { RunningClient } from './client.js';
import { clientFactory, clientPreload } from './factory.js';
import { Recorder } from './recorder.js';

/**
 * A first-book client in its own process: it imports its libraries, notes the time, starts (ours:
 * loadMarkets, then the provider; ccxt: its first watchOrderBook, which loads the markets itself)
 * and reports when each symbol's first usable book arrived. The harness may ask for a report
 * early (a symbol that never got a book) and then tells it to exit.
 */
function send(message: ClientMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as ClientConfig;
  const recorder = new Recorder(config.symbols, 1);
  let client: RunningClient | undefined;
  let startedAt = 0;
  let reported = false;

  const report = (): void => {
    if (reported) return;
    reported = true;
    const applied = recorder.applied();
    const firstAt: Record<string, number> = {};
    for (const symbol of config.symbols) {
      const log = applied[symbol];
      firstAt[symbol] = log !== undefined && log.ids.length > 0 ? log.times[0]! : Number.NaN;
    }
    send({ type: 'first-book', startedAt, firstAt, notes: client?.notes() ?? {} });
  };

  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'report') report();
    if (message.type === 'exit') {
      void (async () => {
        try {
          await client?.close();
        } finally {
          process.disconnect?.();
          process.exit(0);
        }
      })();
    }
  });

  const start = await clientFactory(config.client);
  // Every client's libraries are loaded before the clock starts: ccxt's with its module, ours here.
  await (await clientPreload(config.client))(config);
  send({ type: 'loaded' });
  startedAt = Number(process.hrtime.bigint());
  client = await start(config, recorder);
  // The recorder calls back before it stores the record that completed the set: report just after.
  recorder.whenAllSeen(() => queueMicrotask(report));
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  setTimeout(() => process.exit(1), 100);
});
