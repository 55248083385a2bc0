import { describe, expect, it } from 'vitest';
import { ProgramEnv } from '../../src/compiler/program.js';
import type { FnDef, StructDef } from '../../src/compiler/program.js';
import { int } from '../../src/types/index.js';

function struct(name: string, module: string): StructDef {
  return { kind: 'struct', name, module, typeParams: [], fields: [], methods: new Map(), exported: true, origin: { file: `${module}.spl`, span: null } };
}

function fn(symbol: string, module: string, exported = true): FnDef {
  return {
    kind: 'fn', name: symbol, symbol, module, owner: null, receiver: 'none', typeParams: [], params: [], ret: int(64, true),
    isExtern: false, exported, body: null, origin: { file: `${module}.spl`, span: null },
  };
}

/** A lazily registered module that counts its builds. */
function lazy(module: string, structs: StructDef[], fns: FnDef[]) {
  const counter = { builds: 0 };
  const defs = {
    name: module,
    structNames: structs.map((s) => s.name),
    fnSymbols: fns.filter((f) => f.exported).map((f) => f.symbol),
    buildDefinitions: () => {
      counter.builds++;
      return { structs, fns };
    },
  };
  return { defs, counter };
}

describe('ProgramEnv with lazily registered modules', () => {
  it('builds a module once, on the first lookup of one of its names', () => {
    const env = new ProgramEnv();
    const point = struct('Point', 'geo');
    const area = fn('area', 'geo');
    const helper = fn('_helper', 'geo', false);
    const { defs, counter } = lazy('geo', [point], [area, helper]);
    expect(env.addLazy(defs)).toEqual([]);
    expect(counter.builds).toBe(0);
    expect(env.fn('nothing')).toBeUndefined();
    expect(counter.builds).toBe(0);
    expect(env.struct('Point')).toBe(point);
    expect(counter.builds).toBe(1);
    expect(env.fn('area')).toBe(area);
    expect(env.fn('_helper')).toBeUndefined();
    expect(env.fn('_helper', 'geo')).toBe(helper);
    expect(counter.builds).toBe(1);
  });

  it('builds a module when its private functions are looked up from it', () => {
    const env = new ProgramEnv();
    const helper = fn('_helper', 'geo', false);
    const { defs, counter } = lazy('geo', [], [helper]);
    env.addLazy(defs);
    expect(env.fn('_helper', 'geo')).toBe(helper);
    expect(counter.builds).toBe(1);
  });

  it('reports clashes by module, with lazy and built modules alike, and then adds nothing', () => {
    const env = new ProgramEnv();
    env.add([struct('Point', 'a')], [fn('f', 'a')]);
    const { defs, counter } = lazy('b', [struct('Point', 'b'), struct('Line', 'b')], [fn('f', 'b'), fn('g', 'b')]);
    expect(env.addLazy(defs)).toEqual([
      { name: 'Point', first: 'a', second: 'b' },
      { name: 'f', first: 'a', second: 'b' },
    ]);
    expect(env.struct('Line')).toBeUndefined();
    expect(env.fn('g')).toBeUndefined();
    expect(counter.builds).toBe(0);

    const c = lazy('c', [struct('Line', 'c')], []);
    expect(env.addLazy(c.defs)).toEqual([]);
    const clashes = env.add([struct('Line', 'd')], []);
    expect(clashes.map((x) => [x.name, x.first.module, x.second.module])).toEqual([['Line', 'c', 'd']]);
    expect(c.counter.builds).toBe(1);
  });

  it('forgets a lazy module on remove without building it, and lists every struct', () => {
    const env = new ProgramEnv();
    const a = lazy('a', [struct('A', 'a')], [fn('fa', 'a')]);
    const b = lazy('b', [struct('B', 'b')], []);
    env.addLazy(a.defs);
    env.addLazy(b.defs);
    env.remove('a');
    expect(a.counter.builds).toBe(0);
    expect(env.fn('fa')).toBeUndefined();
    expect([...env.structs()].map((s) => s.name)).toEqual(['B']);
    expect(b.counter.builds).toBe(1);
  });

  it('keeps a module registered when building it fails, so the next lookup fails the same way', () => {
    const env = new ProgramEnv();
    let fail = true;
    const ok = struct('P', 'm');
    env.addLazy({ name: 'm', structNames: ['P'], fnSymbols: [], buildDefinitions: () => {
      if (fail) throw new Error('broken interface');
      return { structs: [ok], fns: [] };
    } });
    expect(() => env.struct('P')).toThrow('broken interface');
    expect(() => env.struct('P')).toThrow('broken interface');
    fail = false;
    expect(env.struct('P')).toBe(ok);
  });
});
