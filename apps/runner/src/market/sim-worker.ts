/*
 * Runs the simulator in a worker thread: its book building and socket writes (and their garbage)
 * stay off the runner's event loop and heap, as a real exchange would, so the loop-time numbers are
 * the runner's own.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type SimulatorOptions, startSimulator } from '@arbitrage/simulator';

export type SimWorkerMessage =
  | {
      readonly type: 'ready';
      readonly upbit: { readonly restUrl: string; readonly wsUrl: string };
      readonly binance: { readonly restUrl: string; readonly wsUrl: string };
    }
  | { readonly type: 'stopped' };

const port = parentPort;
if (!port) throw new Error('sim-worker must run as a worker thread');
const simulator = await startSimulator(workerData as SimulatorOptions);
port.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  simulator.stop().then(
    () => {
      port.postMessage({ type: 'stopped' } satisfies SimWorkerMessage);
      port.close();
    },
    (error: unknown) => {
      throw error;
    },
  );
});
port.postMessage({
  type: 'ready',
  upbit: simulator.upbit,
  binance: simulator.binance,
} satisfies SimWorkerMessage);
