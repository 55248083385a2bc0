import { defineConfig } from 'vitest/config';

// The suite as mutation testing runs it: the tests that exercise src/ in-process. Tests that
// drive the built CLI or bundle (dist/) are left out: a mutant in src/ never reaches them.
// MUTATE_TESTS narrows it to one folder's tests (comma-separated globs; scripts/mutate.mjs).
const only = process.env.MUTATE_TESTS?.split(',').filter(Boolean);
export default defineConfig({
  test: {
    include: only ?? ['test/**/*.test.ts'],
    exclude: ['test/cli/**', 'test/browser/**', 'test/node/**', 'test/repl/**', 'test/fuzz/**', '**/node_modules/**'],
    testTimeout: 60_000,
  },
});
