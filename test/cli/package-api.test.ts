import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

describe("the package's public API", () => {
  it("works as the README shows, imported by the package's name", () => {
    const d = mkdtempSync(join(tmpdir(), 'smf-api-'));
    writeFileSync(join(d, 'lib.spl'), 'extern fn now_ms() -> f64\n\nfn max<T>(a: T, b: T) -> T:\n    if a > b:\n        return a\n    b\n\nfn stamp() -> f64:\n    now_ms()\n');
    const script = `
      import { CompileSession, emitSmf, ModuleLoader } from 'simple-smf';
      import { writeFileSync } from 'node:fs';
      const [lib] = new CompileSession().compileFiles([${JSON.stringify(join(d, 'lib.spl'))}]);
      writeFileSync(${JSON.stringify(join(d, 'lib.smf'))}, emitSmf(lib));
      const loader = new ModuleLoader({ host: { now_ms: () => 1234.5 } });
      const loaded = loader.load(${JSON.stringify(join(d, 'lib.smf'))});
      const max = loader.resolveSymbol('max<i64>');
      const stamp = loader.resolveSymbol('stamp');
      console.log(loaded.kind, max.kind, max.call(3n, 9n), stamp.call());
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('loaded jit 9n 1234.5\n');
  });

  it('is one instance whichever entry a program reaches it by', () => {
    // simple-smf/loader reaches the library without Node's CommonJS loader; require('simple-smf')
    // and import 'simple-smf' through it: the classes must still be the same ones.
    const script = `
      import { ModuleLoader, LoadError } from 'simple-smf/loader';
      import { createRequire } from 'node:module';
      const viaRequire = createRequire(import.meta.url)('simple-smf');
      const full = await import('simple-smf');
      console.log(ModuleLoader === viaRequire.ModuleLoader, ModuleLoader === full.ModuleLoader, LoadError === full.LoadError, typeof full.compileModule);
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('true true true function\n');
  });

  it('runs the embedding example, examples/embed/host.mjs', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'examples/embed/host.mjs')], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      '[plugin] greeting embedder\nHello, embedder!\n5050n\njit 2.5\npear\nnot_found\ntrue\nmodules 1, JIT-compiled 2\n' +
        "TRAP_OUT_OF_FUEL: out of fuel (limit 1000000) in function 'sum_to'\n5050n\n",
    );
    expect(r.status).toBe(0);
  });
});
