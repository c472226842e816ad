import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'exchange-binance',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
