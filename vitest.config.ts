import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Most test files wait on the wall clock (simulated markets, staleness and reconnect timers), so
    // at least two run at once even on two cores: the suite took 480 s with vitest's default of one
    // worker there and 309 s with two, every test passing.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: ['packages/*', 'apps/*', 'bench', 'reliability', 'scripts'],
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**', 'apps/*/src/**'],
      exclude: ['**/*.test.ts', '**/test/**'],
      reporter: ['text-summary', 'html'],
    },
  },
});
