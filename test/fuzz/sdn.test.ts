import { afterAll, describe, it } from 'vitest';
import { runCampaign } from './campaigns.js';
import { expectContractKept } from './contract.js';
import { CaseRunner } from './harness/pool.js';
import { fuzzSeed } from './seed.js';

/*
 * Mutated SDN text (notes taken from compiled modules, and a document with every construct)
 * through the SDN parser and the note.sdn model, and back through the serializers. Damaged
 * notes inside SMF files are covered by smf.test.ts. The long run: `npm run fuzz -- --only sdn`.
 */
const runner = new CaseRunner();
afterAll(() => runner.close());

describe('SDN fuzzing (bounded run)', () => {
  const seed = fuzzSeed(1);
  it(`mutated notes and documents (seed ${seed})`, async () => {
    const report = await runCampaign(runner, 'sdn', seed, 250);
    expectContractKept(report, ['sdn: ok', 'sdn: SdnError', 'sdn: SdnLimitError', 'note: ok', 'note: NoteSdnError']);
  });
});
