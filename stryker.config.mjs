// Mutation testing (docs/testing.md): `npm run mutate` for every folder below, or one folder with
// `npm run mutate -- --mutate 'src/types/**/*.ts'`. Incremental: a rerun tests only the mutants
// whose code or covering tests changed (reports/stryker-incremental.json). Not run in CI.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
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
  incrementalFile: 'reports/stryker-incremental.json',
  concurrency: 2,
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
};
