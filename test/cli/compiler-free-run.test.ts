// Issue #12, goal 1: precompiled code runs without the compiler. The library (dist/simple-smf.lib.cjs,
// behind `simple-smf/loader`) and `smf run`'s fast path (dist/cli/smf-run.cjs) carry the compiler
// behind a lazy require: V8's own coverage of the child shows its modules are never evaluated
// while only compiled code runs, and are on the first load-time JIT. The CLI's split bundles load
// the compiler's file (dist/smf-compiler.js) only then: a copy of the package without it still runs
// compiled code.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const LIB = 'fn max<T>(a: T, b: T) -> T:\n    if a > b:\n        return a\n    b\n\nfn main():\n    print("Hello, world!")\n';

/** A copy of the built package (dist and package.json, dependencies linked) and a compiled lib.smf. */
function packageCopy(): { pkg: string; lib: string } {
  const d = mkdtempSync(join(tmpdir(), 'smf-nocompiler-'));
  const pkg = join(d, 'pkg');
  cpSync(join(ROOT, 'dist'), join(pkg, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
  writeFileSync(join(d, 'lib.spl'), LIB);
  const c = spawnSync(process.execPath, [join(pkg, 'dist/cli/smf.js'), 'compile', join(d, 'lib.spl'), '-o', join(d, 'lib.smf')], { encoding: 'utf8' });
  expect(c.stderr).toBe('');
  return { pkg, lib: join(d, 'lib.smf') };
}

const loaderScript = (lib: string, jit: boolean): string => `
  import { ModuleLoader } from ${JSON.stringify(join(ROOT, 'dist/simple-smf-loader.js'))};
  const loader = new ModuleLoader();
  console.log(loader.load(${JSON.stringify(lib)}).kind);
  loader.resolveSymbol('main').call();
  if (${jit}) console.log(loader.resolveSymbol('max<f64>').call(2.5, 1.5));
`;

interface FunctionCoverage {
  functionName: string;
  ranges: Array<{ count: number }>;
}

/**
 * Runs `args` with V8's coverage on; how many times the initializer of the compiler's JIT entry
 * (dist/compiler/jit-backend.js, as the bundle names it) ran in `bundle`, and the child's output.
 */
function compilerEvaluations(args: string[], bundle: string): { runs: number; stdout: string } {
  const dir = mkdtempSync(join(tmpdir(), 'smf-coverage-'));
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NODE_V8_COVERAGE: dir } });
  expect(r.stderr).toBe('');
  const scripts = readdirSync(dir).flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { result: Array<{ url: string; functions: FunctionCoverage[] }> }).result);
  const mine = scripts.filter((s) => s.url.endsWith(bundle));
  expect(mine.length).toBeGreaterThan(0); // the bundle did run
  const init = mine.flatMap((s) => s.functions).filter((f) => f.functionName === 'dist/compiler/jit-backend.js');
  return { runs: init.reduce((n, f) => n + f.ranges[0].count, 0), stdout: r.stdout };
}

describe('precompiled code without the compiler', () => {
  it('simple-smf/loader evaluates the compiler only on the first load-time JIT', () => {
    const { lib } = packageCopy();
    const precompiled = compilerEvaluations(['--input-type=module', '-e', loaderScript(lib, false)], 'dist/simple-smf.lib.cjs');
    expect(precompiled).toEqual({ runs: 0, stdout: 'loaded\nHello, world!\n' });
    const jit = compilerEvaluations(['--input-type=module', '-e', loaderScript(lib, true)], 'dist/simple-smf.lib.cjs');
    expect(jit).toEqual({ runs: 1, stdout: 'loaded\nHello, world!\n2.5\n' });
  });

  it('smf run of compiled code evaluates no compiler, and runs without its file', () => {
    const { pkg, lib } = packageCopy();
    expect(compilerEvaluations([join(ROOT, 'dist/cli/smf.cjs'), 'run', lib], 'dist/cli/smf-run.cjs')).toEqual({ runs: 0, stdout: 'Hello, world!\n' });
    rmSync(join(pkg, 'dist/smf-compiler.js'));
    for (const args of [['run', lib], [lib], ['run', '--stack-size', '0', lib]]) {
      const r = spawnSync(process.execPath, [join(pkg, 'dist/cli/smf.js'), ...args], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('Hello, world!\n');
      expect(r.status).toBe(0);
    }
  });

  it("is the package's simple-smf/loader entry, to import and to require", () => {
    const names = ['ModuleLoader', 'SmfCache', 'LoadError', 'SimpleTrap'];
    const show = `console.log(${JSON.stringify(names)}.map((n) => typeof m[n]).join(' '))`;
    const imported = spawnSync(process.execPath, ['--input-type=module', '-e', `import * as m from 'simple-smf/loader'; ${show}`], { cwd: ROOT, encoding: 'utf8' });
    const required = spawnSync(process.execPath, ['-e', `const m = require('simple-smf/loader'); ${show}`], { cwd: ROOT, encoding: 'utf8' });
    for (const r of [imported, required]) {
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('function function function function\n');
    }
  });
});
