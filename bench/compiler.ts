/**
 * Compiler figures: compile throughput, instantiate() latency from template bytes, and run time
 * of generic kernels against the same algorithms in plain JavaScript, under each tiering mode.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompileSession } from '../src/compiler/driver/session.js';
import { CompilerContext } from '../src/compiler/context.js';
import { named, Substitution, T, tuple, typeVar, unify } from '../src/types/index.js';
import type { Type } from '../src/types/index.js';
import type { FnDef } from '../src/compiler/program.js';
import { median, percentile } from './harness.js';
import type { Report } from './harness.js';

const SECTION = 'compiler';

/** A program of `lines` lines: many small functions, structs, generics and their uses. */
export function generatedProgram(lines: number): string {
  const out: string[] = ['struct Pair<A, B>:', '    first: A', '    second: B', '', 'fn pick<T>(c: bool, a: T, b: T) -> T:', '    if c:', '        return a', '    b', ''];
  let i = 0;
  while (out.length < lines - 12) {
    out.push(
      `fn work_${i}(x: i64, y: f64) -> i64:`,
      `    var acc = x * ${i % 7} + ${i}`,
      `    for k in 0..x:`,
      `        acc += k % 3`,
      `    val p = Pair(first: acc, second: y)`,
      `    if p.second > 1.5:`,
      `        acc -= 1`,
      `    pick(acc > 0, acc, p.first)`,
      '',
    );
    i++;
  }
  out.push('fn main() -> i64:', '    var total = 0', `    for i in 0..${Math.min(i, 50)}:`, '        total += i', '    total');
  return out.join('\n') + '\n';
}

function compileThroughput(report: Report): void {
  const dir = mkdtempSync(join(tmpdir(), 'smf-bench-'));
  const file = join(dir, 'big.spl');
  const text = generatedProgram(10_000);
  writeFileSync(file, text);
  const lines = text.split('\n').length;
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    new CompileSession().compileFiles([file]);
    times.push(performance.now() - t0);
  }
  const ms = median(times.slice(1));
  report.add({ section: SECTION, name: `compile a generated ${lines}-line program (median of 5)`, value: (lines / ms) * 1000, unit: 'lines/s', note: `${ms.toFixed(0)} ms per compile` });
}

/** 1,000+ distinct type arguments: tuples of three primitive types. */
function distinctTypes(count: number): Type[] {
  const prims = [T.i8, T.i16, T.i32, T.i64, T.u8, T.u16, T.u32, T.u64, T.f32, T.f64, T.bool, T.text];
  const out: Type[] = [];
  for (const a of prims) for (const b of prims) for (const c of prims) if (out.length < count) out.push(tuple([a, b, c]));
  return out;
}

/** Times `instantiate` + V8 compile for each (template, type arguments) pair after 200 warm-up ones. */
function timeInstantiations(ctx: CompilerContext, pairs: Array<[FnDef, Type[]]>): { total: number[]; ours: number[] } {
  const total: number[] = [];
  const ours: number[] = [];
  pairs.forEach(([fn, args], i) => {
    const t0 = performance.now();
    // As the loader asks: canonical names, so instances with the same code are the same bytes.
    const r = ctx.instantiate(fn, args, { relocatable: false, canonicalNames: true });
    const t1 = performance.now();
    if (!r.ok) throw r.error;
    new WebAssembly.Module(r.instance.unit.wasm as Uint8Array<ArrayBuffer>);
    const t2 = performance.now();
    if (i >= 200) {
      total.push((t2 - t0) * 1000);
      ours.push((t1 - t0) * 1000);
    }
  });
  return { total, ours };
}

function instantiateLatency(report: Report): void {
  const dir = mkdtempSync(join(tmpdir(), 'smf-bench-'));
  const file = join(dir, 'g.spl');
  // pick: one generic function; t0..t1199: as many templates, each with code of its own.
  const templates = Array.from({ length: 1200 }, (_, i) => `fn t${i}<T>(a: T, n: i64) -> i64:\n    var k = n * ${i + 1}\n    if k > ${i}:\n        k -= ${i}\n    k\n`);
  writeFileSync(file, ['fn pick<T>(c: bool, a: T, b: T) -> T:\n    if c:\n        return a\n    b\n', ...templates].join('\n'));
  const session = new CompileSession();
  session.compileFiles([file]);
  const ctx = new CompilerContext(session.env);

  const pick = session.env.fn('pick')!;
  const one = timeInstantiations(ctx, distinctTypes(1200).map((t) => [pick, [t]]));
  const p50 = percentile(one.total, 0.5);
  report.add({ section: SECTION, name: 'instantiate() of one generic fn, 1,000 distinct type args, incl. V8 compile (p50)', value: p50, unit: 'µs', target: { text: '< 30 µs', met: p50 < 30 }, note: 'instances with the same code share one V8 module' });
  report.add({ section: SECTION, name: 'instantiate() of one generic fn, same, p99', value: percentile(one.total, 0.99), unit: 'µs' });
  report.add({ section: SECTION, name: 'instantiate() of one generic fn, our part only (check + lower + encode), p50', value: percentile(one.ours, 0.5), unit: 'µs' });

  const distinct = timeInstantiations(ctx, Array.from({ length: 1200 }, (_, i) => [session.env.fn(`t${i}`)!, [T.i64]]));
  report.add({ section: SECTION, name: 'instantiate() of 1,000 different templates, all code distinct (p50)', value: percentile(distinct.total, 0.5), unit: 'µs', note: 'every module is new to V8' });
  report.add({ section: SECTION, name: 'instantiate() of 1,000 different templates, p99', value: percentile(distinct.total, 0.99), unit: 'µs' });
}

interface KernelResult {
  kernel: string;
  loadMs: number;
  simpleMs: number[];
  jsMs: number[];
  simpleCpuMs: number[];
  jsCpuMs: number[];
  agree: boolean;
  simpleValue: string;
  jsValue: string;
  gc: { collections: number; totalMs: number };
}

function kernels(report: Report): void {
  // Run through the same loader as this process: compiled JavaScript when built, tsx otherwise.
  const self = fileURLToPath(import.meta.url);
  const child = self.replace(/compiler\.(ts|js)$/, 'kernel-child.$1');
  const loader = self.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const modes: Array<{ label: string; flags: string[] }> = [
    { label: "default tiering ('modules': modules' code optimized up front)", flags: [] },
    { label: 'optimized up front (--no-liftoff)', flags: ['--no-liftoff'] },
  ];
  for (const kernel of ['sort', 'matmul', 'dot', 'binarytrees']) {
    // Binary trees measures allocation and collection (issue #9: at most 1.5x JavaScript).
    const goal = kernel === 'binarytrees' ? { text: 'at most 1.5x JS', factor: 1.5 } : { text: 'faster than JS', factor: 1 };
    for (const mode of modes) {
      // Each side in a process of its own, so neither runs in the other's aftermath.
      const side = (only: 'simple' | 'js'): KernelResult => {
        const out = execFileSync(process.execPath, [...mode.flags, ...loader, child, kernel, '5', only], { encoding: 'utf8' });
        return JSON.parse(out.trim().split('\n').pop()!) as KernelResult;
      };
      const s = side('simple');
      const j = side('js');
      const agree = Math.abs(Number(s.simpleValue) - Number(j.jsValue)) <= Math.abs(Number(j.jsValue)) * 1e-6;
      if (!agree) throw new Error(`${kernel}: the Simple and JavaScript results differ`);
      const r = { ...s, jsMs: j.jsMs, jsCpuMs: j.jsCpuMs };
      const first = r.simpleMs[0];
      const warm = median(r.simpleMs.slice(1));
      const js = median(r.jsMs.slice(1));
      const cpu = `CPU ${median(r.simpleCpuMs.slice(1)).toFixed(1)} ms vs JS ${median(r.jsCpuMs.slice(1)).toFixed(1)} ms`;
      report.add({
        section: SECTION,
        name: `${kernel}, ${mode.label}: warm (median of runs 2-5)`,
        value: warm,
        unit: 'ms',
        baseline: { name: 'plain JS', value: js },
        target: { text: goal.text, met: goal.factor === 1 ? warm < js : warm <= js * goal.factor },
        note: `elapsed; ${cpu}`,
      });
      const gc = r.gc.collections > 0 ? `; ${r.gc.collections} collections, ${r.gc.totalMs.toFixed(0)} ms` : '';
      report.add({ section: SECTION, name: `${kernel}, ${mode.label}: first call`, value: first, unit: 'ms', note: `load + compile ${r.loadMs.toFixed(1)} ms${gc}` });
    }
  }
}

/** Unification over a long chain of variables and a wide type (was a time bound in test/types/unify.test.ts). */
function unifyChain(report: Report): void {
  const n = 50_000;
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    const s = new Substitution();
    for (let i = 0; i < n; i++) unify(typeVar(i), typeVar(i + 1), s);
    unify(typeVar(n), named('Wide', Array.from({ length: 1000 }, () => T.i64)), s);
    for (let i = 0; i < n; i += 7) s.resolve(typeVar(i));
    times.push(performance.now() - t0);
  }
  report.add({ section: SECTION, name: `unify a ${n}-variable chain and a 1,000-wide type (median of 5)`, value: median(times), unit: 'ms' });
}

export const compilerSection = {
  name: SECTION,
  async run(report: Report): Promise<void> {
    compileThroughput(report);
    unifyChain(report);
    instantiateLatency(report);
    kernels(report);
  },
};
