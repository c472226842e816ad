import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'provider-nats',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Real sockets against the simulator on a shared 2-core machine: each test normally takes 1-3 s;
    // the ceiling only keeps a loaded machine from failing a healthy run.
    testTimeout: 20_000,
  },
});
