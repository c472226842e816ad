/*
 * Runs the simulator in a worker thread: its book building and socket writes (and their garbage)
 * stay off the runner's event loop and heap, as a real exchange would, so the loop-time numbers are
 * the runner's own.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type SimulatorOptions, startSimulator } from '@arbitrage/simulator';
import { type SimulatedEndpoints, simulatedEndpoints } from './simulated-exchanges.js';

export type SimWorkerMessage =
  | {
      readonly type: 'ready';
      /** Per simulated exchange name. */
      readonly endpoints: Readonly<Record<string, SimulatedEndpoints>>;
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
port.postMessage({ type: 'ready', endpoints: simulatedEndpoints(simulator) } satisfies SimWorkerMessage);
