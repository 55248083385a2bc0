import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { emitSmf } from '../../src/compiler/driver/emit-smf.js';
import type { CompiledModule } from '../../src/compiler/driver/compile-module.js';
import { expect } from 'vitest';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import type { ModuleLoaderOptions } from '../../src/loader/module-loader.js';
import { SimpleError } from '../../src/errors.js';

/** A fresh folder with the given sources written into it. */
export function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'smf-loader-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Compiles `names` (with what they import) in `dir` and writes one SMF per named source. */
export function compileToSmf(dir: string, names: string[]): CompiledModule[] {
  const session = new CompileSession();
  const compiled = session.compileFiles(names.map((n) => join(dir, n)));
  const wanted = new Set(names.map((n) => join(dir, n)));
  for (const c of compiled) {
    if (!wanted.has(c.declared.source.path)) continue;
    writeFileSync(c.declared.source.path.replace(/\.spl$/, '.smf'), emitSmf(c));
  }
  return compiled;
}

/** Loads `path` and resolves each of `names`: whatever goes wrong must be a typed error. */
export function expectOnlyTypedErrors(path: string, names: readonly string[], options: ModuleLoaderOptions = {}): void {
  const loader = new ModuleLoader({ jit: { updateSmf: false }, ...options });
  const r = loader.load(path);
  if (r.kind === 'error') {
    expect(r.error).toBeInstanceOf(SimpleError);
    return;
  }
  for (const name of names) {
    const s = loader.resolveSymbol(name);
    if (s.kind === 'error') expect(s.error === undefined || s.error instanceof SimpleError).toBe(true);
  }
}

/** Resolves `name` and calls it; anything but a callable result fails the test. */
export function callSymbol(loader: ModuleLoader, name: string, ...args: unknown[]): unknown {
  const r = loader.resolveSymbol(name);
  if (r.kind !== 'found' && r.kind !== 'jit') throw new Error(`${name}: ${JSON.stringify(r)}`);
  return r.call(...args);
}
