import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'provider-rest',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
