import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'exchange-kit',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
