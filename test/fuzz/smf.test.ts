import { afterAll, describe, it } from 'vitest';
import { runCampaign } from './campaigns.js';
import { expectContractKept } from './contract.js';
import { CaseRunner } from './harness/pool.js';
import { fuzzSeed } from './seed.js';

/*
 * Damaged SMF files (the module hash recomputed, so the damage reaches the parsers behind it)
 * through the reader, `inspect`, `load`, resolve and call, JIT write-back and `link`: every
 * stage ends normally or with a typed error or trap, within 2 s and the memory bound. The long
 * run: `npm run fuzz -- --only smf`.
 */
const runner = new CaseRunner();
afterAll(() => runner.close());

describe('SMF fuzzing (bounded run)', () => {
  const seed = fuzzSeed(1);
  it(`damaged modules and linked programs (seed ${seed})`, async () => {
    const report = await runCampaign(runner, 'smf', seed, 40);
    expectContractKept(report, ['read: ok', 'read: SmfFormatError', 'read: InterfaceError', 'load: ok', 'call: ok', 'write-back: ok', 'link: ok']);
  });
});
