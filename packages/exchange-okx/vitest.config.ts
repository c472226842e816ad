import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'exchange-okx',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
