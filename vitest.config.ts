import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Setup hooks compile programs too (a thousand modules in link-scale): the same bound as a test.
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
