// Mutation testing (docs/testing.md), run per folder by scripts/mutate.mjs (`npm run mutate`,
// `npm run mutate -- types`). Incremental: a rerun tests only the mutants whose code or covering
// tests changed. Not run in CI.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: false },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [
    'src/types/**/*.ts',
    'src/sdn/**/*.ts',
    'src/smf/**/*.ts',
    'src/linker/**/*.ts',
    'src/loader/**/*.ts',
    'src/compiler/lower/**/*.ts',
  ],
  coverageAnalysis: 'perTest',
  incremental: true,
  // One test process: the machine's two cores are shared with other work.
  concurrency: 1,
  dryRunTimeoutMinutes: 30,
  // Added to each mutant's measured test time (x1.5) and overhead: long enough for a loaded machine,
  // short enough that the mutants which loop forever do not dominate a run.
  timeoutMS: 8_000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
};
