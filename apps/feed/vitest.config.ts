import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'feed',
    include: ['src/**/*.test.ts'],
    // A real nats-server, the simulator in a worker and a child process on a shared 2-core machine.
    testTimeout: 60_000,
  },
});
