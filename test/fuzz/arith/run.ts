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

function fromHost(v: unknown): unknown {
  return typeof v === 'number' && Number.isInteger(v) && !Object.is(v, -0) ? v : v;
}

/**
 * Compiles `program` with the real compiler, loads it with the real loader, calls every case
 * and lists the disagreements with the model (at most `limit`).
 */
export function runProgram(program: ArithProgram, limit = 20): { checked: number; disagreements: Disagreement[] } {
  const dir = mkdtempSync(join(tmpdir(), 'smf-arith-'));
  try {
    const path = join(dir, 'arith.spl');
    writeFileSync(path, program.source);
    const [compiled] = new CompileSession().compileFiles([path]);
    writeFileSync(join(dir, 'arith.smf'), emitSmf(compiled));
    const loader = new ModuleLoader({ jit: { updateSmf: false } });
    const loaded = loader.load(join(dir, 'arith.smf'));
    if (loaded.kind === 'error') throw loaded.error;
    const fns = new Map<string, (...a: unknown[]) => unknown>();
    const disagreements: Disagreement[] = [];
    for (const c of program.cases) {
      let fn = fns.get(c.fn);
      if (!fn) {
        const r = loader.resolveSymbol(c.fn);
        if (r.kind !== 'found' && r.kind !== 'jit') throw new Error(`${c.fn} did not resolve: ${r.kind}`);
        fn = r.call;
        fns.set(c.fn, fn);
      }
      let actual: unknown;
      try {
        actual = fromHost(fn(...c.args.map((a, i) => toHost(c.argTypes[i], a))));
      } catch (e) {
        if (!(e instanceof SimpleTrap)) throw e;
        actual = 'trap';
      }
      // Integers come back as number (up to 32 bits) or bigint; the model speaks bigint.
      const norm = typeof actual === 'number' && typeof c.expected === 'bigint' ? BigInt(actual) : actual;
      if (!sameOutcome(norm, c.expected)) {
        disagreements.push({ what: c.what, expected: show(c.expected), actual: show(norm) });
        if (disagreements.length >= limit) break;
      }
    }
    return { checked: program.cases.length, disagreements };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function describeDisagreements(ds: Disagreement[]): string {
  return ds.map((d) => `${d.what}: model ${d.expected}, program ${d.actual}`).join('\n');
}
