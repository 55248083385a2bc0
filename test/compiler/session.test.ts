// CompileSession: which modules of a program it compiles.
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { CompileSession } from '../../src/compiler/driver/session.js';

const dir = resolve('/virtual/session');
const lib = resolve(dir, 'lib.spl');
const main = resolve(dir, 'main.spl');
const sources = new Map([
  [lib, 'fn twice(x: i64) -> i64:\n    x * 2\n\nfn id<T>(x: T) -> T:\n    x\n'],
  [main, 'use lib.*\n\nfn main() -> i64:\n    twice(id(20)) + 2\n'],
]);

describe('CompileSession.compileFiles', () => {
  it('compiles every source module a program uses', () => {
    const compiled = new CompileSession().compileFiles([main], sources);
    expect(compiled.map((c) => c.declared.name).sort()).toEqual(['lib', 'main']);
  });

  it('only declares the modules in declareOnly: the others compile against their declarations and call them through slots', () => {
    const session = new CompileSession();
    const compiled = session.compileFiles([main], sources, new Set([lib]));
    expect(compiled.map((c) => c.declared.name)).toEqual(['main']);
    expect(session.module('lib')).toMatchObject({ kind: 'source', compiled: null });
    const calls = compiled[0].unit.imports.got;
    expect(calls).toContain('twice');
    expect(calls.some((s) => s.startsWith('id'))).toBe(true);
  });
});
