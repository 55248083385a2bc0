/**
 * A lowered unit's layout (src/compiler/lower/unit.ts), read back from the emitted WebAssembly:
 * the imports in their documented order, each call site's relocation pointing at the immediate
 * that holds its index (the wasm reader checks every one), the table imported only by units that
 * call through it, no data segment without static data, the options for load-time instances,
 * and struct layouts told apart by their type arguments.
 */
import { describe, expect, it } from 'vitest';
import { CompileSession } from '../../../src/compiler/driver/session.js';
import type { IrFunction, IrStmt } from '../../../src/compiler/ir.js';
import { INSTANCE_EXPORT, lowerUnit, RELOC_SECTION, RelocKind } from '../../../src/compiler/lower/unit.js';
import { readWasmModule } from '../../../src/compiler/wasm/reader.js';
import { T } from '../../../src/types/type.js';
import { printed } from './run-source.js';
import { callMain } from '../call-main.js';
import { ModuleLoader } from '../../../src/loader/module-loader.js';
import { TextCapture } from '../../../src/runtime/index.js';

const LIB = ['fn twice(x: i64) -> i64:', '    x * 2', ''].join('\n');
const MAIN = [
  'use lib.{twice}',
  'extern fn host_add(a: i64, b: i64) -> i64',
  'extern fn host_neg(a: i64) -> i64',
  '',
  'fn inc(x: i64) -> i64:',
  '    x + 1',
  '',
  'fn main():',
  '    print(twice(inc(host_add(5, host_neg(2)))))',
  '    print("hi")',
  '',
].join('\n');

function compiled(files: Record<string, string>) {
  const paths = Object.keys(files).map((f) => `/virtual/${f}`);
  return new CompileSession().compileFiles(paths, new Map(paths.map((p, i) => [p, Object.values(files)[i]])));
}

function mainUnit() {
  const c = compiled({ 'main.spl': MAIN, 'lib.spl': LIB }).find((m) => m.declared.name === 'main')!;
  return c.unit;
}

describe('the unit of a module calling the runtime, the host, itself and another module', () => {
  it('imports memory, table, memory base, GOT globals, runtime then host functions, in that order', () => {
    const unit = mainUnit();
    const info = readWasmModule(unit.wasm);
    expect(info.imports.map((i) => `${i.module}.${i.field}`)).toEqual([
      'env.memory',
      'env.table',
      'env.__memory_base',
      'GOT.func.twice',
      ...unit.imports.runtime.map((r) => `rt.${r}`),
      'host.host_add',
      'host.host_neg',
    ]);
    expect(unit.imports.got).toEqual(['twice']);
    expect(unit.imports.host).toEqual(['host_add', 'host_neg']);
    expect(unit.imports.runtime).toContain('print_i64');
    // Defined functions in order, then the externs' wrappers.
    expect(unit.exports).toEqual(['inc', 'main', 'host_add', 'host_neg']);
  });

  it('relocates every call, global, type and data immediate to the value it holds', () => {
    const unit = mainUnit();
    // The reader refuses a relocation whose immediate does not hold its value.
    const info = readWasmModule(unit.wasm);
    const relocs = info.relocs!;
    const kinds = (k: RelocKind) => relocs.filter((r) => r.kind === k).map((r) => r.value);
    const fnImports = info.imports.filter((i) => i.kind === 'func').map((i) => `${i.module}.${i.field}`);
    const defined = (symbol: string) => info.importedFunctions + unit.exports.indexOf(symbol);
    const calls = kinds(RelocKind.function);
    expect(calls).toContain(fnImports.indexOf('rt.print_i64'));
    expect(calls).toContain(fnImports.indexOf('host.host_add'));
    expect(calls).toContain(fnImports.indexOf('host.host_neg'));
    expect(calls).toContain(defined(unit.exports.find((e) => e.includes('inc'))!));
    // Global 0 is the memory base (the text's address), global 1 the GOT slot of `twice`.
    expect(new Set(kinds(RelocKind.global))).toEqual(new Set([0, 1]));
    expect(kinds(RelocKind.type)).toHaveLength(1);
    const [type] = kinds(RelocKind.type);
    expect(info.types[type]).toEqual({ params: [0x7e], results: [0x7e] });
    // Two texts: "hi" and the site name a trap would report.
    const texts = kinds(RelocKind.data);
    expect(texts).toHaveLength(2);
    expect(new Set(texts).size).toBe(2);
    for (const t of texts) expect(t).toBeLessThan(unit.dataSize);
    expect(info.data).toHaveLength(1);
  });

  it('runs: the host functions wrapped, the other module called through its slot', () => {
    const out = new TextCapture();
    const loader = new ModuleLoader({ output: out, host: { host_add: (a: bigint, b: bigint) => a + b, host_neg: (a: bigint) => -a }, jit: { updateSmf: false } });
    const modules = compiled({ 'main.spl': MAIN, 'lib.spl': LIB });
    for (const c of [...modules].sort((a) => (a.declared.name === 'lib' ? -1 : 1))) {
      const r = loader.loadCompiled(c);
      if (r.kind === 'error') throw r.error;
    }
    expect(callMain(loader, out)).toEqual({ stdout: '8\nhi\n', exit: 0, trap: null });
  });
});

function returning(symbol: string, value: bigint): IrFunction {
  const body: IrStmt[] = [{ kind: 'return', value: { kind: 'int', value, type: T.i64 } }];
  return { symbol, displayName: symbol, params: [], ret: T.i64, locals: [], body };
}

const NO_STRUCTS = { struct: () => undefined } as never;

describe('a unit that needs little', () => {
  it('imports no table and has no data segment when it calls nothing through a slot and has no text', () => {
    const unit = lowerUnit({ name: 'small', functions: [returning('one', 1n)], externs: [], structs: NO_STRUCTS });
    const info = readWasmModule(unit.wasm);
    expect(info.imports.map((i) => `${i.module}.${i.field}`)).toEqual(['env.memory', 'env.__memory_base']);
    expect(info.data).toEqual([]);
    expect(unit.dataSize).toBe(0);
    expect(info.exports.map((e) => e.name)).toEqual(['one']);
    expect(info.relocs).toEqual([]);
  });

  it('leaves out the relocation section only when asked', () => {
    const fns = [returning('one', 1n)];
    const without = lowerUnit({ name: 'small', functions: fns, externs: [], structs: NO_STRUCTS, relocatable: false });
    const mod = (w: Uint8Array) => new WebAssembly.Module(w as Uint8Array<ArrayBuffer>);
    expect(WebAssembly.Module.customSections(mod(without.wasm), RELOC_SECTION)).toHaveLength(0);
    const withIt = lowerUnit({ name: 'small', functions: fns, externs: [], structs: NO_STRUCTS, relocatable: true });
    expect(WebAssembly.Module.customSections(mod(withIt.wasm), RELOC_SECTION)).toHaveLength(1);
  });

  it('with canonical names, exports the instance under one name and names it after its template', () => {
    const a = lowerUnit({ name: 'x', functions: [returning('f$<i64>', 7n)], externs: [], structs: NO_STRUCTS, canonicalNames: { template: 'f' } });
    const b = lowerUnit({ name: 'x', functions: [returning('f$<u64>', 7n)], externs: [], structs: NO_STRUCTS, canonicalNames: { template: 'f' } });
    const info = readWasmModule(a.wasm);
    expect(info.exports.map((e) => e.name)).toEqual([INSTANCE_EXPORT]);
    expect([...info.names.values()]).toEqual(['f']);
    expect(a.exports).toEqual(['f$<i64>']);
    // Same code, same bytes: V8 compiles them once.
    expect(Buffer.from(a.wasm).equals(Buffer.from(b.wasm))).toBe(true);
    const plain = readWasmModule(lowerUnit({ name: 'x', functions: [returning('f$<i64>', 7n)], externs: [], structs: NO_STRUCTS }).wasm);
    expect(plain.exports.map((e) => e.name)).toEqual(['f$<i64>']);
    expect([...plain.names.values()]).toEqual(['f$<i64>']);
  });
});

describe('struct fields by type arguments', () => {
  it('two instances of one generic struct in one function each get their own layout', () => {
    const src = [
      'struct Tri<A, B, C>:',
      '    a: A',
      '    b: B',
      '    c: C',
      '',
      // The field offsets differ: 0, 4, 8 for (i32, i32, i64) and 0, 8, 12 for (i64, i32, i32).
      'fn main():',
      '    val p = Tri(a: 1 as i32, b: 2 as i32, c: 3 as i64)',
      '    val q = Tri(a: 4 as i64, b: 5 as i32, c: 6 as i32)',
      '    p.b = p.b + 10',
      '    q.b = q.b + 20',
      '    val all = [p]',
      '    val qs = [q]',
      '    print(all[0].a as i64 * 100 + all[0].b as i64 * 10 + all[0].c)',
      '    print(qs[0].a * 100 + qs[0].b as i64 * 10 + qs[0].c as i64)',
      '',
    ].join('\n');
    expect(printed(src)).toEqual(['223', '656']);
  });
});
