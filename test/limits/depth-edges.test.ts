/**
 * Depth and count limits of the compiler's parser, the linker and the loader's JIT, at their
 * exact edges: the last value accepted and the first refused. (The compiler's E0420 depth, the
 * expression depth, elif arms and the JIT's configured depth have theirs in
 * test/compiler/depth-limits.test.ts and test/loader/jit-instantiator.test.ts.)
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { emitSmf } from '../../src/compiler/driver/emit-smf.js';
import { CompileError, formatDiagnostics } from '../../src/compiler/diagnostics.js';
import { MAX_NESTING } from '../../src/compiler/parser/parser.js';
import { link } from '../../src/linker/link.js';
import { DEFAULT_JIT_CONFIG } from '../../src/loader/jit-instantiator.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';

function compileError(source: string): string | undefined {
  const d = mkdtempSync(join(tmpdir(), 'edge-'));
  writeFileSync(join(d, 'm.spl'), source);
  try {
    new CompileSession().compileFiles([join(d, 'm.spl')]);
    return undefined;
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    return e.message;
  }
}

/** c1<T> needs c2<T> … needs cN<T>: instantiating c1 nests N levels deep. */
function chain(n: number): string {
  return Array.from({ length: n }, (_, i) => (i + 1 < n ? `fn c${i + 1}<T>(x: T) -> i64:\n    c${i + 2}(x) + 1\n` : `fn c${i + 1}<T>(x: T) -> i64:\n    1\n`)).join('\n');
}

describe(`parser nesting (MAX_NESTING = ${MAX_NESTING})`, () => {
  // The limit counts every level on the path, the function's body and its statement included:
  // an expression statement in a function body has MAX_NESTING - 2 levels left, a block inside
  // the body MAX_NESTING - 3.
  const inBody = MAX_NESTING - 2;
  const forms: Record<string, { make: (n: number) => string; last: number }> = {
    parentheses: { make: (n) => `fn main() -> i64:\n    ${'('.repeat(n)}1${')'.repeat(n)}\n`, last: inBody },
    'prefix minus': { make: (n) => `fn main() -> i64:\n    ${'-'.repeat(n)}1\n`, last: inBody },
    'prefix not': { make: (n) => `fn main() -> bool:\n    ${'not '.repeat(n)}true\n`, last: inBody },
    'array types': { make: (n) => `fn main():\n    val x: ${'['.repeat(n)}i64${']'.repeat(n)} = []\n    print(x.len())\n`, last: inBody },
    'array literals': { make: (n) => `fn main():\n    val x = ${'['.repeat(n)}1${']'.repeat(n)}\n`, last: inBody },
    blocks: {
      make: (n) => `fn main():\n${Array.from({ length: n }, (_, i) => `${' '.repeat(i + 1)}if true:\n`).join('')}${' '.repeat(n + 1)}print(1)\n`,
      last: MAX_NESTING - 3,
    },
  };
  for (const [name, { make, last }] of Object.entries(forms)) {
    it(`${name}: ${last} levels compile, ${last + 1} are a diagnostic`, () => {
      expect(compileError(make(last))).toBeUndefined();
      expect(compileError(make(last + 1))).toMatch(/m\.spl:\d+:\d+: error: expression, block or type nested too deeply/);
    });
  }
});

describe('linker instantiation depth (maxDepth)', () => {
  // The program was compiled against a c1 that needed nothing; the library linked with it now
  // has c1 needing a chain K deep, which the linker instantiates (eager).
  const K = 6;
  const d = mkdtempSync(join(tmpdir(), 'edge-link-'));
  mkdirSync(join(d, 'old'));
  mkdirSync(join(d, 'new'));
  writeFileSync(join(d, 'old/lib.spl'), 'fn c1<T>(x: T) -> i64:\n    1\n');
  writeFileSync(join(d, 'old/app.spl'), 'use lib.{c1}\n\nfn main():\n    print(c1(7))\n');
  writeFileSync(join(d, 'new/lib.spl'), chain(K));
  const smf = (path: string, name: string): string => {
    const [c] = new CompileSession().compileFiles([path]).filter((m) => m.declared.name === name);
    const out = path.replace(/\.spl$/, '.smf');
    writeFileSync(out, emitSmf(c));
    return out;
  };
  const inputs = [smf(join(d, 'old/app.spl'), 'app'), smf(join(d, 'new/lib.spl'), 'lib')];

  it(`a chain exactly maxDepth deep links; maxDepth - 1 stops it at that depth`, () => {
    const r = link(inputs, { instantiate: 'eager', maxDepth: K, output: join(d, 'a.smf') });
    expect(r.ok && r.stats.instantiated).toBe(K);
    const over = link(inputs, { instantiate: 'eager', maxDepth: K - 1, output: join(d, 'b.smf') });
    expect(over.ok).toBe(false);
    if (!over.ok) expect(formatDiagnostics(over.errors)).toContain(`a chain of ${K} instances of different templates, each required by the one before; none instantiates itself: c1<i64> -> c2<i64> -> c3<i64> -> … -> c${K}<i64> (stopped at depth ${K - 1})`);
  });
});

describe('JIT limits through the loader', () => {
  function loaderFor(source: string, jit: Record<string, number> = {}): ModuleLoader {
    const d = mkdtempSync(join(tmpdir(), 'edge-jit-'));
    writeFileSync(join(d, 'lib.spl'), source);
    const [c] = new CompileSession().compileFiles([join(d, 'lib.spl')]);
    writeFileSync(join(d, 'lib.smf'), emitSmf(c));
    const loader = new ModuleLoader({ jit: { updateSmf: false, ...jit } });
    const r = loader.load(join(d, 'lib.smf'));
    if (r.kind === 'error') throw r.error;
    return loader;
  }

  it(`the default depth (${DEFAULT_JIT_CONFIG.maxDepth}): a chain that deep is compiled, one level more is refused`, () => {
    const depth = DEFAULT_JIT_CONFIG.maxDepth;
    const ok = loaderFor(chain(depth)).resolveSymbol('c1<i64>');
    expect(ok.kind).toBe('jit');
    if (ok.kind === 'jit') expect(ok.call(7n)).toBe(BigInt(depth));
    const over = loaderFor(chain(depth + 1)).resolveSymbol('c1<i64>');
    expect(over).toMatchObject({ kind: 'error', message: expect.stringContaining(`Maximum JIT depth (${depth}) exceeded while instantiating c1<i64> -> `) });
  });

  it('maxInstantiations: that many instances are compiled, the next is refused', () => {
    const loader = loaderFor('fn id<T>(x: T) -> T:\n    x\n', { maxInstantiations: 3 });
    for (const t of ['i64', 'f64', 'u8']) expect(loader.resolveSymbol(`id<${t}>`).kind).toBe('jit');
    expect(loader.resolveSymbol('id<i32>')).toMatchObject({ kind: 'error', message: expect.stringContaining('the JIT instantiation limit (3) is reached') });
    // Instances already made stay available.
    expect(loader.resolveSymbol('id<f64>').kind).toBe('found');
  });
});
