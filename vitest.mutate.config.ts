import { defineConfig } from 'vitest/config';

// The suite as mutation testing runs it: the tests that exercise src/ in-process. Tests that
// drive the built CLI or bundle (dist/) are left out: a mutant in src/ never reaches them.
// MUTATE_TESTS narrows it to one folder's tests (comma-separated globs; scripts/mutate.mjs); a
// glob starting with `!` leaves files out (e.g. `!test/sdn/*.mutation.test.ts` for a "before" score).
const globs = process.env.MUTATE_TESTS?.split(',').filter(Boolean);
const only = globs?.filter((g) => !g.startsWith('!'));
const left = globs?.filter((g) => g.startsWith('!')).map((g) => g.slice(1)) ?? [];
// A folder left out by default comes back when a glob names files in it (the lowering's tests
// include test/fuzz/arithmetic.test.ts, which compiles and runs in-process).
const outside = ['test/cli/**', 'test/browser/**', 'test/node/**', 'test/repl/**', 'test/fuzz/**'].filter(
  (dir) => !only?.some((g) => g.startsWith(dir.slice(0, -2))),
);
export default defineConfig({
  test: {
    include: only ?? ['test/**/*.test.ts'],
    exclude: [...outside, '**/node_modules/**', ...left],
    testTimeout: 60_000,
    // Stryker switches mutants at run time, so a test file needs no fresh module graph of its
    // own: sharing one makes each mutant's run about three times faster. MUTATE_ISOLATE=1 gives
    // each file its own, for the tests that replace a module with vi.mock (node:fs).
    isolate: process.env.MUTATE_ISOLATE === '1',
  },
});
