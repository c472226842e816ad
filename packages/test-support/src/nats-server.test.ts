import { createConnection } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from './nats-server.js';

function info(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString());
    });
    socket.once('error', reject);
  });
}

describe('startNatsServer', () => {
  it('starts a real nats-server on a free loopback port, restarts it on the same port, and stops it', async () => {
    const server = await startNatsServer({ jetstream: true });
    try {
      expect(await info(server.port)).toMatch(/^INFO .*"jetstream":true/);
      await server.kill();
      await expect(info(server.port)).rejects.toThrow();
      await server.restart();
      expect(await info(server.port)).toMatch(/^INFO /);
    } finally {
      await server.stop();
    }
    await expect(info(server.port)).rejects.toThrow();
  });
});
