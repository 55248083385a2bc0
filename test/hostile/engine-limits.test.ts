import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { CompileError } from '../../src/compiler/diagnostics.js';
import { ENGINE_LIMITS, engineLimitViolations } from '../../src/compiler/wasm/limits.js';
import { smf, workspace } from './helpers.js';

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];

/** One function of `params` i64 parameters, `locals` declared i64 locals and `nops` nop instructions. */
function module(params: number, locals: number, nops = 0): Uint8Array<ArrayBuffer> {
  const type = [1, 0x60, ...leb(params), ...new Array<number>(params).fill(0x7e), 0];
  const decl = locals > 0 ? [1, ...leb(locals), 0x7e] : [0];
  const bodySize = decl.length + nops + 1;
  const head = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...section(1, type), ...section(3, [1, 0])];
  const codeHead = [1, ...leb(bodySize), ...decl];
  const codeSize = codeHead.length + nops + 1;
  const prefix = [...head, 10, ...leb(codeSize), ...codeHead];
  const out = new Uint8Array(prefix.length + nops + 1).fill(0x01); // nop
  out.set(prefix);
  out[out.length - 1] = 0x0b; // end
  return out;
}

function engineAccepts(bytes: Uint8Array<ArrayBuffer>): boolean {
  try {
    new WebAssembly.Module(bytes);
    return true;
  } catch {
    return false;
  }
}

const params = (n: number, type = 'i64'): string => Array.from({ length: n }, (_, i) => `p${i}: ${type}`).join(', ');

function compileErrors(files: Record<string, string>, main: string): string {
  const d = workspace(files);
  try {
    new CompileSession().compileFiles([join(d, main)]);
  } catch (e) {
    expect(e).toBeInstanceOf(CompileError);
    return (e as Error).message;
  }
  return '';
}

describe('engine limits are checked at compile time (issue #11, point 8)', () => {
  it('the checker agrees with the engine at each edge: the last value accepted and the first refused', () => {
    const L = ENGINE_LIMITS;
    const bodyOf = (size: number): Uint8Array<ArrayBuffer> => module(0, 0, size - 2); // locals declaration and end take 2 bytes
    for (const [ok, over] of [
      [module(L.params, 0), module(L.params + 1, 0)],
      [module(1000, L.locals - 1000), module(1000, L.locals - 1000 + 1)],
      [module(0, L.locals), module(0, L.locals + 1)],
      [bodyOf(L.functionSize), bodyOf(L.functionSize + 1)],
    ]) {
      expect([engineAccepts(ok), engineLimitViolations(ok)]).toEqual([true, []]);
      expect(engineAccepts(over)).toBe(false);
      expect(engineLimitViolations(over)).toHaveLength(1);
    }
  });

  it('module-level counts (what a link of many modules could exceed): 100,000 exports accepted, 100,001 refused, by both', () => {
    const exporting = (n: number): Uint8Array<ArrayBuffer> => {
      const entries: number[] = [...leb(n)];
      for (let i = 0; i < n; i++) {
        const name = [...new TextEncoder().encode(`f${i}`)];
        entries.push(...leb(name.length), ...name, 0, 0);
      }
      const head = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...section(1, [1, 0x60, 0, 0]), ...section(3, [1, 0])];
      return new Uint8Array([...head, ...section(7, entries), ...section(10, [1, 2, 0, 0x0b])]);
    };
    const ok = exporting(ENGINE_LIMITS.exports);
    const over = exporting(ENGINE_LIMITS.exports + 1);
    expect([engineAccepts(ok), engineLimitViolations(ok)]).toEqual([true, []]);
    expect(engineAccepts(over)).toBe(false);
    expect(engineLimitViolations(over)).toEqual([{ subject: { kind: 'module' }, message: "100001 exports, over the engine's limit of 100000" }]);
  });

  it('1000 parameters compile and run; 1001 are a diagnostic at the function, exit 1', () => {
    const d = workspace({
      'ok.spl': `fn f(${params(1000)}) -> i64:\n    p999\n\nfn main() -> i64:\n    3\n`,
      'over.spl': `fn main() -> i64:\n    0\n\nfn f(${params(1001)}) -> i64:\n    p0\n`,
    });
    expect(smf(['run', 'ok.spl'], d).code).toBe(3);
    const r = smf(['compile', 'over.spl'], d);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^over\.spl:4:4: error: 'f' cannot be compiled: it has 1001 parameters in WebAssembly, over the engine's limit of 1000\n/);
    expect(r.stderr).not.toContain('internal error');
  });

  it('an extern fn and a method are counted as the engine counts them', () => {
    expect(compileErrors({ 'x.spl': `extern fn host_f(${params(1001)}) -> i64\n\nfn main() -> i64:\n    0\n` }, 'x.spl')).toMatch(
      /x\.spl:1:11: error: 'host_f' cannot be compiled: it has 1001 parameters in WebAssembly/,
    );
    // `self` is a parameter too: 1000 declared make 1001.
    expect(compileErrors({ 'm.spl': `struct S:\n    x: i64\n\nimpl S:\n    fn m(${params(1000)}) -> i64:\n        p0\n\nfn main() -> i64:\n    0\n` }, 'm.spl')).toMatch(
      /'S\.m' cannot be compiled: it has 1001 parameters/,
    );
  });

  it('too many locals: a diagnostic naming the function', () => {
    let body = '';
    for (let i = 0; i < 50_001; i++) body += `    val v${i} = ${i}\n`;
    expect(compileErrors({ 'l.spl': `fn main() -> i64:\n${body}    v0\n` }, 'l.spl')).toMatch(
      /l\.spl:1:4: error: 'main' cannot be compiled: it needs 50001 locals \(parameters and the compiler's temporaries included\), over the engine's limit of 50000/,
    );
  });

  it('a function over the size limit (115,000 interpolations): a diagnostic, not an internal error', { timeout: 60_000 }, () => {
    const d = workspace({ 'big.spl': `fn main() -> i64:\n    val x = 1\n    val s = "${'{x}'.repeat(115_000)}"\n    s.len()\n` });
    const r = smf(['compile', 'big.spl'], d, 60_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/big\.spl:1:4: error: 'main' cannot be compiled: its code is \d+ bytes, over the engine's limit of 7654321 bytes for one function; split it into smaller functions/);
  });

  it('a call to a function over the limit is refused in the calling module too', () => {
    const d = workspace({
      'lib.spl': `fn wide<T>(${params(1001, 'T')}) -> T:\n    p0\n`,
      'app.spl': `use lib.{wide}\n\nfn main() -> i64:\n    wide(${Array.from({ length: 1001 }, (_, i) => i).join(', ')})\n`,
    });
    const r = smf(['compile', 'lib.spl', 'app.spl'], d);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/app\.spl: error: module 'app': a call to a function of 1001 parameters and 1 results, over the engine's limit of 1000 of each/);
  });

  it('an instance compiled at load time is checked too: a typed load error', () => {
    let body = '';
    for (let i = 0; i < 50_001; i++) body += `    val v${i} = x\n`;
    const d = workspace({ 'lib.spl': `fn big<T>(x: T) -> T:\n${body}    v0\n`, 'app.spl': 'use lib.{big}\n\nfn main() -> i64:\n    big(4)\n' });
    expect(smf(['compile', 'lib.spl', 'app.spl'], d).code).toBe(0);
    const r = smf(['run', 'app.smf'], d);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot instantiate 'big<i64>': 'big<i64>' cannot be compiled: it needs 50002 locals/);
    expect(r.stderr).not.toContain('internal error');
  });
});
