import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'reliability',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The matrix file and the one-minute soak (a child process) run side by side.
    maxWorkers: 2,
    // Matrix cases mostly wait on sockets and timers: several run at once.
    maxConcurrency: 6,
    // Runs after every other project, on a machine no longer busy with them: its bounds are timings.
    sequence: { groupOrder: 1 },
  },
});
