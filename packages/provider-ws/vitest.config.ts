import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'provider-ws',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
