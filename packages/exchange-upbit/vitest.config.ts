import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'exchange-upbit',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
