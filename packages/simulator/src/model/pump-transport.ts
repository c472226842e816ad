import type { Duplex } from 'node:stream';
import type { PumpTransport } from './market.js';

/** Unsent bytes per socket above which a pump waits for 'drain'. */
const HIGH_WATER_MARK = 1 << 20;

/** Backpressure over a live set of raw sockets: cork/uncork them all, wait while any is over 1 MiB. */
export function socketPumpTransport(sockets: () => Iterable<Duplex>): PumpTransport {
  return {
    cork: () => {
      for (const socket of sockets()) socket.cork();
    },
    uncork: () => {
      for (const socket of sockets()) socket.uncork();
    },
    waitForDrain: () => {
      for (const socket of sockets()) {
        if (!socket.destroyed && socket.writableLength > HIGH_WATER_MARK) {
          return new Promise<void>((resolve) => {
            const done = (): void => {
              socket.off('drain', done);
              socket.off('close', done);
              resolve();
            };
            socket.on('drain', done);
            socket.on('close', done);
          });
        }
      }
      return undefined;
    },
  };
}
