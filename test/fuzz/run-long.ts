/*
 * Long fuzzing runs: `npm run fuzz -- [--only smf,source,sdn,arith] [--count N] [--time SECONDS]
 * [--seed S] [--case I]`. Each campaign runs up to N cases (default 2000) or for the time given
 * (per campaign), and prints its counts and every finding with the command that replays it.
 * `--case I` replays one case of one campaign and prints its stages.
 */
import { parseArgs } from 'node:util';
import { describeFinding, makeCase, runCampaign } from './campaigns.js';
import type { CampaignName } from './campaigns.js';
import { describeDisagreements, runProgram } from './arith/run.js';
import { expressionProgram, literalProgram } from './arith/programs.js';
import { CaseRunner } from './harness/pool.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: 'smf,source,sdn,arith' },
    count: { type: 'string', default: '2000' },
    time: { type: 'string' },
    seed: { type: 'string' },
    case: { type: 'string' },
  },
});
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const count = Number(values.count);
const timeMs = values.time === undefined ? Infinity : Number(values.time) * 1000;
const only = values.only.split(',');
let failed = false;

const runner = new CaseRunner();
try {
  if (values.case !== undefined) {
    const name = only[0] as CampaignName;
    const { c, what } = makeCase(name, seed, Number(values.case));
    console.log(`${name} case ${values.case} (seed ${seed}): ${what}`);
    if (c.kind === 'source') console.log(c.files[c.main]);
    console.log(JSON.stringify(await runner.run(c), null, 2));
  } else {
    for (const name of only) {
      if (name === 'arith') {
        failed = arith() || failed;
        continue;
      }
      const report = await runCampaign(runner, name as CampaignName, seed, count, timeMs);
      console.log(`${name}: ${report.runs} cases in ${(report.ms / 1000).toFixed(1)} s (seed ${seed}), ${report.findings.length} findings`);
      for (const [k, v] of [...report.outcomes].sort()) console.log(`  ${k.padEnd(40)} ${v}`);
      for (const f of report.findings) console.log(describeFinding(f));
      failed = failed || report.findings.length > 0;
    }
  }
} finally {
  await runner.close();
}
process.exitCode = failed ? 1 : 0;

/** Random expression and literal programs, a program of each per round. */
function arith(): boolean {
  const started = performance.now();
  let checked = 0;
  let bad = 0;
  for (let round = 0; round < count && performance.now() - started < timeMs; round++) {
    for (const p of [expressionProgram(seed + round, 200, 20, 5), literalProgram(seed + round, 200)]) {
      const r = runProgram(p);
      checked += r.checked;
      if (r.disagreements.length > 0) {
        bad++;
        console.log(`arith round ${round} (seed ${seed + round}):\n${describeDisagreements(r.disagreements)}`);
      }
    }
  }
  console.log(`arith: ${checked} operations checked in ${((performance.now() - started) / 1000).toFixed(1)} s (seeds ${seed}…), ${bad} programs disagreeing`);
  return bad > 0;
}
