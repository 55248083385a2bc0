import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompileSession } from '../../../src/compiler/driver/session.js';
import { emitSmf } from '../../../src/compiler/driver/emit-smf.js';
import { ModuleLoader } from '../../../src/loader/module-loader.js';
import { SimpleTrap } from '../../../src/runtime/trap.js';
import { isFloat, sameOutcome } from './model.js';
import type { Num, NumType } from './model.js';
import type { ArithProgram } from './programs.js';

/** One case where the compiled program and the model disagree. */
export interface Disagreement {
  what: string;
  expected: string;
  actual: string;
}

const show = (v: unknown): string => (typeof v === 'bigint' ? `${v}n` : Object.is(v, -0) ? '-0' : typeof v === 'string' ? v : String(v));

/** A model value as the loader takes it from the host: bigint for 64-bit integers, else number. */
function toHost(t: NumType, v: Num): unknown {
  if (isFloat(t)) return v;
  return t === 'i64' || t === 'u64' ? v : Number(v);
}

/** A compiled and loaded program whose functions are called with model values. */
export interface LoadedProgram {
  /** The outcome of calling `fn`: a value in the model's form, a bool, or 'trap'. */
  call(fn: string, args: readonly Num[], argTypes: readonly NumType[]): unknown;
  dispose(): void;
}

/** Compiles `source` with the real compiler and loads it with the real loader. */
export function loadProgram(source: string): LoadedProgram {
  const dir = mkdtempSync(join(tmpdir(), 'smf-arith-'));
  const path = join(dir, 'arith.spl');
  writeFileSync(path, source);
  const [compiled] = new CompileSession().compileFiles([path]);
  writeFileSync(join(dir, 'arith.smf'), emitSmf(compiled));
  const loader = new ModuleLoader({ jit: { updateSmf: false } });
  const loaded = loader.load(join(dir, 'arith.smf'));
  if (loaded.kind === 'error') throw loaded.error;
  const fns = new Map<string, (...a: unknown[]) => unknown>();
  return {
    call(name, args, argTypes) {
      let fn = fns.get(name);
      if (!fn) {
        const r = loader.resolveSymbol(name);
        if (r.kind !== 'found' && r.kind !== 'jit') throw new Error(`${name} did not resolve: ${r.kind}`);
        fn = r.call;
        fns.set(name, fn);
      }
      let actual: unknown;
      try {
        actual = fn(...args.map((a, i) => toHost(argTypes[i], a)));
      } catch (e) {
        if (!(e instanceof SimpleTrap)) throw e;
        return 'trap';
      }
      return actual;
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Compiles `program`, loads it, calls every case and lists the disagreements with the model
 * (at most `limit`).
 */
export function runProgram(program: ArithProgram, limit = 20): { checked: number; disagreements: Disagreement[] } {
  const p = loadProgram(program.source);
  try {
    const disagreements: Disagreement[] = [];
    for (const c of program.cases) {
      const actual = normalise(p.call(c.fn, c.args, c.argTypes), c.expected);
      if (!sameOutcome(actual, c.expected)) {
        disagreements.push({ what: c.what, expected: show(c.expected), actual: show(actual) });
        if (disagreements.length >= limit) break;
      }
    }
    return { checked: program.cases.length, disagreements };
  } finally {
    p.dispose();
  }
}

/** A result from the host in the model's form: integers as bigint when the model expects one. */
export function normalise(actual: unknown, expected: unknown): unknown {
  return typeof actual === 'number' && typeof expected === 'bigint' ? BigInt(actual) : actual;
}

export function describeDisagreements(ds: Disagreement[]): string {
  return ds.map((d) => `${d.what}: model ${d.expected}, program ${d.actual}`).join('\n');
}
