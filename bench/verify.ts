/**
 * The code verifier's cost (docs/trust-model.md): one linear scan per unit before the engine
 * compiles it, measured against that compile (`new WebAssembly.Module`) of the same bytes — the
 * work the loader does for the unit anyway.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompileSession } from '../src/compiler/driver/session.js';
import { verifyCode } from '../src/loader/verify-code.js';
import { SectionType, SmfReader, moduleSpecFromReader } from '../src/smf/index.js';
import { median, sample } from './harness.js';
import type { Report } from './harness.js';

function codeOf(path: string): Uint8Array {
  const spec = moduleSpecFromReader(SmfReader.openSync(path));
  return spec.sections.find((s) => s.type === SectionType.Code && s.name === 'code')!.data;
}

/** One module of `n` functions with loops, calls, arrays and text: a bigger unit than the cold-load set's. */
function bigUnit(n: number): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'smf-bench-verify-'));
  const fns = Array.from(
    { length: n },
    (_, i) =>
      `fn g${i}(x: i64) -> i64:\n    var s = 0\n    var xs: [i64] = []\n    for k in 0..x:\n        xs.push(k * ${i})\n        s += g${(i + 1) % n}_leaf(k)\n    if s > ${i}:\n        print("big \${s}")\n    s + xs.len()\n\nfn g${i}_leaf(k: i64) -> i64:\n    k + ${i}\n`,
  );
  const spl = join(dir, 'big.spl');
  writeFileSync(spl, fns.join('\n'));
  const [compiled] = new CompileSession().compileFiles([spl]);
  return compiled.unit.wasm;
}

/**
 * `unit` with a custom section holding `k` appended: different bytes, so V8's cache of compiled
 * modules (keyed by the bytes) misses and the baseline is a real compile.
 */
function variant(unit: Uint8Array, k: number): Uint8Array<ArrayBuffer> {
  const tag = new TextEncoder().encode(`bench-${k}`);
  const out = new Uint8Array(unit.length + 3 + tag.length);
  out.set(unit);
  out.set([0, tag.length + 1, tag.length], unit.length);
  out.set(tag, unit.length + 3);
  return out;
}

function row(report: Report, name: string, units: readonly Uint8Array[], runs: number): void {
  const bytes = units.reduce((s, u) => s + u.length, 0);
  const verify = median(sample(() => units.forEach((u) => verifyCode(u, 'bench')), runs)) / units.length;
  let k = 0;
  const compile = median(sample(() => units.forEach((u) => new WebAssembly.Module(variant(u, k++))), runs)) / units.length;
  report.add({
    section: 'loader',
    name,
    value: verify,
    unit: 'µs',
    baseline: { name: 'compiling the same code (new WebAssembly.Module)', value: compile },
    note: `${units.length} unit(s), ${Math.round(bytes / units.length)} bytes each on average; the verifier runs once per unit, before its compile`,
  });
}

/** Rows for the verifier: the cold-load set's 1,000 small units, and one large unit. */
export function verifierCost(report: Report, paths: readonly string[]): void {
  row(report, 'code verification of a small module, per unit', paths.slice(0, 1000).map(codeOf), 20);
  row(report, 'code verification of a 600-function module', [bigUnit(300)], 10);
}
