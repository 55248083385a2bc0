// `npm run mutate [-- folder…]`: mutation testing (StrykerJS, stryker.config.mjs) one folder at a
// time, each against its own tests (test/<folder>), incrementally: a rerun tests only mutants
// whose code or tests changed since the last run (reports/stryker-incremental-<folder>.json).
// Prints each folder's score; docs/testing.md records them.
import { spawnSync } from 'node:child_process';

const FOLDERS = {
  types: ['src/types/**/*.ts', 'test/types/**/*.test.ts'],
  sdn: ['src/sdn/**/*.ts', 'test/sdn/**/*.test.ts'],
  // The two files that mock node:fs need a module graph of their own, which a shared one (isolate: false) cannot give.
  smf: ['src/smf/**/*.ts', 'test/smf/**/*.test.ts,test/limits/smf-edges.test.ts,!test/smf/atomic-write-sync.test.ts,!test/smf/note-rewrite-atomic.test.ts'],
  // The two files whose tests mock node:fs, each test file with a module graph of its own
  // (MUTATE_ISOLATE, vitest.mutate.config.ts); their results are kept apart from the rest of smf's.
  'smf-fs': ['src/smf/atomic-write.ts,src/smf/note-rewrite.ts', 'test/smf/atomic-write-sync.test.ts,test/smf/note-rewrite-atomic.test.ts,test/smf/note-rewrite.test.ts,test/smf/fs.mutation.test.ts', { MUTATE_ISOLATE: '1' }],
  // link-scale compiles 1,000 modules per run (two thirds of the folder's test time) and checks
  // only what the smaller links check too; wasm-reader tests the compiler's reader, not the linker.
  linker: ['src/linker/**/*.ts', 'test/linker/**/*.test.ts,!test/linker/link-scale.test.ts,!test/linker/wasm-reader.test.ts'],
  // verify-code.ts and values.ts were first run by themselves against the tests that exercise them
  // directly (docs/testing.md, `src/loader`): every load and call covers them.
  loader: ['src/loader/**/*.ts', 'test/loader/**/*.test.ts'],
  // The differential arithmetic tests (test/fuzz) run the lowering's operators and casts on edge values.
  // function.ts, unit.ts, rooting.ts and scalar-replace.ts were run by line ranges against a narrower
  // set (docs/testing.md, `src/compiler/lower`): nearly every test covers them.
  lower: ['src/compiler/lower/**/*.ts', 'test/compiler/**/*.test.ts,test/runtime/**/*.test.ts,test/fuzz/arithmetic.test.ts'],
};
// `src/sdn`, `sdn/` and `compiler/lower` name the same folders as `sdn` and `lower`.
const asked = process.argv.slice(2).map((f) => f.replace(/^(\.\/)?src\//, '').replace(/\/+$/, '').replace(/^compiler\/lower$/, 'lower'));
const unknown = asked.filter((f) => !(f in FOLDERS));
if (unknown.length > 0) {
  console.error(`unknown folder ${unknown.join(', ')}; one of: ${Object.keys(FOLDERS).join(', ')}`);
  process.exit(2);
}
let failed = false;
for (const name of asked.length > 0 ? asked : Object.keys(FOLDERS)) {
  const [mutate, tests, env = {}] = FOLDERS[name];
  console.log(`\n== ${name}: ${mutate} against ${tests}`);
  const r = spawnSync(
    'npx',
    ['stryker', 'run', '--mutate', mutate, '--incrementalFile', `reports/stryker-incremental-${name}.json`],
    { stdio: 'inherit', env: { ...process.env, ...env, MUTATE_TESTS: tests } },
  );
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
