/**
 * What the loader reads off a unit's calls (src/loader/call-graph.ts): whether its code runs
 * straight through — which tiering.ts leaves on V8's baseline tier — and a bound on its stack.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { runsStraight, stackBound } from '../../src/loader/call-graph.js';

/** The WebAssembly of module `main` compiled from `files` (name → source). */
function code(files: Record<string, string>, main = 'main.spl'): Uint8Array {
  const d = mkdtempSync(join(tmpdir(), 'smf-call-graph-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  const compiled = new CompileSession().compileFiles([join(d, main)]);
  return compiled[compiled.length - 1].unit.wasm;
}

describe('code that runs straight through', () => {
  it('is code without loops or recursion that calls only its own functions and the runtime', () => {
    expect(runsStraight(code({ 'main.spl': 'fn twice(x: i64) -> i64:\n    x * 2\n\nfn main():\n    print("hi")\n    print(twice(3))\n' }))).toBe(true);
  });

  it('is not code with a loop, with recursion, or with calls to another module', () => {
    expect(runsStraight(code({ 'main.spl': 'fn main():\n    for i in 0..3:\n        print(i)\n' }))).toBe(false);
    expect(runsStraight(code({ 'main.spl': 'fn f(n: i64) -> i64:\n    if n == 0:\n        return 0\n    f(n - 1)\n\nfn main():\n    print(f(2))\n' }))).toBe(false);
    expect(runsStraight(code({ 'lib.spl': 'fn twice(x: i64) -> i64:\n    x * 2\n', 'main.spl': 'use lib.{twice}\n\nfn main():\n    print(twice(2))\n' }))).toBe(false);
  });

  it('is not what cannot be read', () => {
    expect(runsStraight(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]))).toBe(false);
  });
});

describe('the stack bound of a function', () => {
  it('adds the frames of the deepest chain of calls, and the cost the caller gives an import', () => {
    const wasm = code({ 'main.spl': 'fn a(x: i64):\n    print(x)\n\nfn b(x: i64):\n    a(x)\n\nfn main():\n    b(1)\n    a(2)\n' });
    const withImport = stackBound(wasm, 'main', () => 1000);
    const without = stackBound(wasm, 'main', () => 0);
    expect(without).toBeGreaterThan(0);
    expect(withImport).toBe((without ?? 0) + 1000);
    expect(stackBound(wasm, 'b', () => 0)).toBeLessThan(without ?? 0);
    expect(stackBound(wasm, 'main', () => undefined)).toBeUndefined();
    expect(stackBound(wasm, 'nothing', () => 0)).toBeUndefined();
  });
});
