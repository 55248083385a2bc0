/**
 * Which compiled programs `smf run` may run on the main thread (src/cli/stack-bound.ts): those
 * whose calls from `main` can form no cycle and stay within their file's code and the runtime.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { emitSmf } from '../../src/compiler/driver/emit-smf.js';
import { fitsMainThread, MAIN_THREAD_STACK_BUDGET, mainStackBoundOfFile, runtimeStackBound } from '../../src/cli/stack-bound.js';

/**
 * Writes `files` (name → source) to a new folder and compiles each program (a file with `main`,
 * with what it imports) to SMF files beside it; returns the folder.
 */
function compiled(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'smf-stack-bound-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  for (const [name, text] of Object.entries(files)) {
    if (!text.includes('fn main')) continue;
    for (const m of new CompileSession().compileFiles([join(d, name)])) writeFileSync(join(d, `${m.declared.name}.smf`), emitSmf(m));
  }
  return d;
}

const HELLO = 'fn main():\n    print("Hello, world!")\n';

describe('the stack bound of main', () => {
  it('is finite for calls that form no cycle, and grows with the chain of calls', () => {
    const d = compiled({
      'hello.spl': HELLO,
      // main → c → b → a → the runtime's print: three frames deeper than hello's main → print.
      'chain.spl': 'fn a(x: i64):\n    print(x)\n\nfn b(x: i64):\n    a(x * 2)\n\nfn c(x: i64):\n    b(x + 1)\n    a(x)\n\nfn main():\n    c(3)\n',
    });
    const hello = mainStackBoundOfFile(join(d, 'hello.smf'));
    const chain = mainStackBoundOfFile(join(d, 'chain.smf'));
    expect(hello).toBeGreaterThan(runtimeStackBound() ?? Infinity);
    expect(chain).toBeGreaterThan(hello ?? Infinity);
    expect(fitsMainThread(join(d, 'hello.smf'))).toBe(true);
    expect(fitsMainThread(join(d, 'chain.smf'))).toBe(true);
    expect(chain).toBeLessThanOrEqual(MAIN_THREAD_STACK_BUDGET);
  });

  it('counts generic instances compiled into the module like any function', () => {
    const d = compiled({ 'gen.spl': 'fn max<T>(a: T, b: T) -> T:\n    if a > b:\n        return a\n    b\n\nfn main():\n    print(max(1, 2))\n    print(max(1.5, 0.5))\n' });
    expect(fitsMainThread(join(d, 'gen.smf'))).toBe(true);
  });

  it('is unknown for recursion, direct or mutual, even when it is not reached at run time', () => {
    const d = compiled({
      'rec.spl': 'fn depth(n: i64) -> i64:\n    if n == 0:\n        return 0\n    1 + depth(n - 1)\n\nfn main():\n    print(depth(3))\n',
      'mutual.spl': 'fn even(n: i64) -> bool:\n    if n == 0:\n        return true\n    odd(n - 1)\n\nfn odd(n: i64) -> bool:\n    if n == 0:\n        return false\n    even(n - 1)\n\nfn main():\n    if false:\n        print(even(10))\n',
    });
    expect(mainStackBoundOfFile(join(d, 'rec.smf'))).toBeUndefined();
    expect(mainStackBoundOfFile(join(d, 'mutual.smf'))).toBeUndefined();
    expect(fitsMainThread(join(d, 'rec.smf'))).toBe(false);
  });

  it('is unknown for a call to another module or to the host', () => {
    const d = compiled({
      'lib.spl': 'fn twice(x: i64) -> i64:\n    x * 2\n',
      'app.spl': 'use lib.{twice}\n\nfn main():\n    print(twice(4))\n',
      'ext.spl': 'extern fn now_ms() -> f64\n\nfn main():\n    print(now_ms())\n',
    });
    expect(mainStackBoundOfFile(join(d, 'lib.smf'))).toBeUndefined(); // no main at all
    expect(mainStackBoundOfFile(join(d, 'app.smf'))).toBeUndefined();
    expect(mainStackBoundOfFile(join(d, 'ext.smf'))).toBeUndefined();
  });

  it('is unknown for what is not a readable module', () => {
    const d = mkdtempSync(join(tmpdir(), 'smf-stack-bound-'));
    writeFileSync(join(d, 'junk.smf'), 'not an smf file');
    expect(mainStackBoundOfFile(join(d, 'junk.smf'))).toBeUndefined();
    expect(mainStackBoundOfFile(join(d, 'missing.smf'))).toBeUndefined();
  });

  it("is finite for the runtime's own functions (the collector's loops keep their stacks in memory)", () => {
    expect(runtimeStackBound()).toBeGreaterThan(0);
  });
});
