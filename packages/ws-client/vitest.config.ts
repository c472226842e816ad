import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'ws-client',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
