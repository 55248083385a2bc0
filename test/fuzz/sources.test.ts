import { afterAll, describe, it } from 'vitest';
import { runCampaign } from './campaigns.js';
import { expectContractKept } from './contract.js';
import { CaseRunner } from './harness/pool.js';
import { fuzzSeed } from './seed.js';

/*
 * Mutated Simple sources (from every program under test/programs) compiled, loaded and run
 * with fuel and memory bounds: a CompileError, a SimpleTrap or a normal end, never an untyped
 * exception, a hang or a memory blow-up. The long run: `npm run fuzz -- --only source`.
 */
const runner = new CaseRunner();
afterAll(() => runner.close());

describe('source fuzzing (bounded run)', () => {
  const seed = fuzzSeed(1);
  it(`mutated programs (seed ${seed})`, async () => {
    const report = await runCampaign(runner, 'source', seed, 60);
    expectContractKept(report, ['compile: CompileError', 'compile: ok', 'run: ok']);
  });
});
