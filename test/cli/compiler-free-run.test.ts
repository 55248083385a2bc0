// Issue #12, goal 1: precompiled code runs without the compiler. A copy of the built package
// whose compiler bundle (dist/smf-compiler.js) is removed still runs compiled modules — through
// `smf run` on its thread and in-process, and through `simple-smf/loader` — and fails only when
// a load-time JIT needs the compiler; with the compiler there, the same JIT works.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

const loaderScript = (pkg: string, lib: string): string => `
  import { ModuleLoader } from ${JSON.stringify(join(pkg, 'dist/simple-smf-loader.js'))};
  const loader = new ModuleLoader();
  console.log(loader.load(${JSON.stringify(lib)}).kind);
  loader.resolveSymbol('main').call();
  const max = loader.resolveSymbol('max<f64>');
  console.log(max.kind, max.kind === 'error' ? max.message : max.call(2.5, 1.5));
`;

describe('precompiled code without the compiler', () => {
  it('runs through smf run and simple-smf/loader; only a load-time JIT needs the compiler bundle', () => {
    const { pkg, lib } = packageCopy();
    const withCompiler = spawnSync(process.execPath, ['--input-type=module', '-e', loaderScript(pkg, lib)], { encoding: 'utf8' });
    expect(withCompiler.stderr).toBe('');
    expect(withCompiler.stdout).toBe('loaded\nHello, world!\njit 2.5\n');

    rmSync(join(pkg, 'dist/smf-compiler.js'));
    for (const args of [['run', lib], [lib], ['run', '--stack-size', '0', lib]]) {
      const r = spawnSync(process.execPath, [join(pkg, 'dist/cli/smf.js'), ...args], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('Hello, world!\n');
      expect(r.status).toBe(0);
    }
    const without = spawnSync(process.execPath, ['--input-type=module', '-e', loaderScript(pkg, lib)], { encoding: 'utf8' });
    expect(without.stderr).toBe('');
    expect(without.stdout).toMatch(/^loaded\nHello, world!\nerror compiling an instance at load time needs the compiler, .*smf-compiler\.js, which could not be loaded/);
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
