import { readFileSync } from 'node:fs';
import { APP, APP_CALLS, LIB, smfSeeds, sourceSeeds } from './corpus.js';
import type { CaseRunner } from './harness/pool.js';
import type { CaseResult, FuzzCase } from './harness/protocol.js';
import { mutateSdn } from './mutate/sdn.js';
import { mutateSmf } from './mutate/smf.js';
import { mutateSource } from './mutate/source.js';
import { Rand } from './rand.js';

export type CampaignName = 'smf' | 'source' | 'sdn';

/** A case that broke the contract, with what reproduces it. */
export interface Finding {
  campaign: CampaignName;
  seed: number;
  index: number;
  what: string;
  result: CaseResult;
}

export interface CampaignReport {
  campaign: CampaignName;
  seed: number;
  runs: number;
  /** How often each stage ended how ('read: ok', 'load: LoadError', …). */
  outcomes: Map<string, number>;
  findings: Finding[];
  ms: number;
}

/** Case `index` of campaign `name` under `seed`: the same three numbers always give the same case. */
export function makeCase(name: CampaignName, seed: number, index: number): { c: FuzzCase; what: string } {
  const r = new Rand((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  if (name === 'smf') {
    const seeds = smfSeeds();
    const s = seeds[r.int(seeds.length)];
    const m = mutateSmf(s.files[s.main], r);
    return { c: { kind: 'smf', files: { ...s.files, [s.main]: m.bytes }, main: s.main, calls: s.calls, link: s.link }, what: `${s.name}: ${m.what}` };
  }
  if (name === 'source' && r.chance(0.25)) {
    // The two-module program: one side mutated, compiled together, then main and the generic
    // functions called (most of them JIT-compiled from the library's templates).
    const which = r.chance(0.5) ? 'lib.spl' : 'app.spl';
    const files = { 'lib.spl': LIB, 'app.spl': APP };
    files[which] = mutateSource(files[which], r, which === 'lib.spl' ? APP : LIB);
    return { c: { kind: 'source', files, main: 'app.spl', calls: APP_CALLS }, what: `lib + app, ${which} mutated` };
  }
  if (name === 'source') {
    const seeds = sourceSeeds();
    const s = seeds[r.int(seeds.length)];
    const donor = seeds[r.int(seeds.length)];
    return { c: { kind: 'source', files: { 'prog.spl': mutateSource(s.text, r, donor.text) }, main: 'prog.spl' }, what: `${s.name} (donor ${donor.name})` };
  }
  const notes = sdnSeeds();
  const s = notes[r.int(notes.length)];
  return { c: { kind: 'sdn', text: mutateSdn(s, r) }, what: 'sdn' };
}

let notes: string[] | undefined;
function sdnSeeds(): string[] {
  if (notes) return notes;
  const fromModules = smfSeeds().map((s) => new TextDecoder().decode(s.files[s.main]).match(/# Instantiation To\/From Metadata[^]*?# END_NOTE\n/)?.[0] ?? '');
  const plain = readFileSync(new URL('./seed-note.sdn', import.meta.url), 'utf8');
  notes = [...fromModules.filter((n) => n.length > 0), plain];
  return notes;
}

/**
 * Runs cases `0..count-1` of `name` under `seed` (stopping early once `timeMs` has passed),
 * each in `runner` with its deadline and memory bound.
 */
export async function runCampaign(runner: CaseRunner, name: CampaignName, seed: number, count: number, timeMs = Infinity): Promise<CampaignReport> {
  const started = performance.now();
  const report: CampaignReport = { campaign: name, seed, runs: 0, outcomes: new Map(), findings: [], ms: 0 };
  for (let index = 0; index < count && performance.now() - started < timeMs; index++) {
    const { c, what } = makeCase(name, seed, index);
    const result = await runner.run(c);
    report.runs++;
    if (result.status === 'ok') {
      for (const [stage, outcome] of Object.entries(result.stages)) {
        const key = `${stage.split(':')[0]}: ${outcome}`;
        report.outcomes.set(key, (report.outcomes.get(key) ?? 0) + 1);
      }
    } else report.findings.push({ campaign: name, seed, index, what, result });
  }
  report.ms = performance.now() - started;
  return report;
}

export function describeFinding(f: Finding): string {
  const r = f.result;
  const detail = r.status === 'untyped' ? `${r.name} at stage ${r.stage}: ${r.message}\n${r.stack}` : r.status === 'hang' ? `no answer after ${r.ms.toFixed(0)} ms (${r.cpuMs.toFixed(0)} ms of CPU)` : r.status === 'ok' ? '' : r.detail;
  return `${f.campaign} case ${f.index} (seed ${f.seed}; ${f.what}): ${r.status} — ${detail}\n  replay: npm run fuzz -- --only ${f.campaign} --seed ${f.seed} --case ${f.index}`;
}
