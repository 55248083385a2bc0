// The interface's directory (src/compiler/interface/interface-directory.ts): the compiler notes
// where each record of type_info lies, and the loader reads only the records a lookup needs — so
// the first load-time JIT in a module of 1,200 templates costs what it costs in a small one.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { LOAD_INDEX_SECTION, parseLoadIndex } from '../../src/compiler/interface/load-index.js';
import { writeInterface } from '../../src/compiler/interface/interface-directory.js';
import type { ModuleInterfaceJson } from '../../src/compiler/interface/module-interface.js';
import { SectionType, SmfReader, moduleSpecFromReader, writeSmf } from '../../src/smf/index.js';
import { compileToSmf, expectOnlyTypedErrors, workspace } from './fixtures.js';

const BASE = 'fn twice(x: i64) -> i64:\n    x * 2\n\nstruct Box:\n    v: i64\n';
const LIB = `use base.{twice, Box}

struct Point:
    x: i64
    y: i64

impl Point:
    fn sum() -> i64:
        self.x + self.y

fn total(a: i64, b: i64) -> i64:
    a + b

fn _helper(x: i64) -> i64:
    x + 1

fn apply<T>(x: T) -> i64:
    val p = Point(x: twice(_helper(3)), y: 2)
    val b = Box(v: p.x)
    b.v + p.sum()

fn max<T>(a: T, b: T) -> T:
    if a > b:
        return a
    b
`;

function sectionBytes(path: string, name: string): Uint8Array {
  const reader = SmfReader.openSync(path);
  return reader.sectionData(reader.findSection(SectionType.TypeInfo, name)!.index);
}

/** Rewrites a TypeInfo section; the module hash stays valid. */
function withSection(path: string, name: string, data: Uint8Array): void {
  const spec = moduleSpecFromReader(SmfReader.openSync(path));
  writeFileSync(path, writeSmf({ ...spec, sections: spec.sections.map((s) => (s.type === SectionType.TypeInfo && s.name === name ? { ...s, data } : s)) }));
}

function modules(): { dir: string; lib: string } {
  const dir = workspace({ 'base.spl': BASE, 'lib.spl': LIB });
  compileToSmf(dir, ['base.spl', 'lib.spl']);
  return { dir, lib: join(dir, 'lib.smf') };
}

const utf8 = new TextDecoder();
const sortRows = (rows: ModuleInterfaceJson['scope']): string[] => rows.map((r) => r.join(' ')).sort();

describe("the interface's directory", () => {
  it('locates every record of the interface the compiler wrote', () => {
    const { lib } = modules();
    const info = sectionBytes(lib, 'type_info');
    const iface = JSON.parse(utf8.decode(info)) as ModuleInterfaceJson;
    const { directory } = parseLoadIndex(utf8.decode(sectionBytes(lib, LOAD_INDEX_SECTION)), lib);
    expect(directory).toBeDefined();
    const at = (records: readonly number[], i: number): number => records[0] + records.slice(1, i + 1).reduce((n, len) => n + len + 1, 0);
    iface.structs.forEach((s, i) => expect(JSON.parse(utf8.decode(info.subarray(at(directory!.structs, i), at(directory!.structs, i) + directory!.structs[i + 1])))).toEqual(s));
    iface.functions.forEach((f, i) => expect(JSON.parse(utf8.decode(info.subarray(at(directory!.functions, i), at(directory!.functions, i) + directory!.functions[i + 1])))).toEqual(f));
    expect(directory!.fnSymbols).toEqual(iface.functions.map((f) => f.symbol));
    expect(directory!.fnOwners).toEqual(iface.functions.map((f) => (f.owner === null ? -1 : iface.structs.findIndex((s) => s.name === f.owner))));
    // Own names first, then the two from base: the directory points at those two only.
    const [start, end] = directory!.foreignScope!;
    expect(sortRows(JSON.parse(`[${utf8.decode(info.subarray(start, end))}]`))).toEqual(['Box struct base Box', 'twice fn base twice']);
    expect(sortRows(iface.scope)).toEqual(sortRows([...iface.structs.map((s) => [s.name, 'struct', 'lib', s.name] as [string, 'struct', string, string]), ...iface.functions.filter((f) => f.owner === null).map((f) => [f.symbol, 'fn', 'lib', f.symbol] as [string, 'fn', string, string]), ['twice', 'fn', 'base', 'twice'], ['Box', 'struct', 'base', 'Box']]));
  });

  it('writes the JSON text JSON.stringify writes, where the scope needs no reordering', () => {
    const iface: ModuleInterfaceJson = {
      format: 1, module: 'm', imports: ['o'], importPaths: ['o'],
      structs: [{ name: 'P', params: [], fields: [{ name: 'é', type: 'i64' }], exported: true }],
      functions: [{ symbol: 'f', name: 'f', owner: null, receiver: 'none', typeParams: [], params: [], ret: 'text', extern: false, exported: true, template: null }],
      scope: [['P', 'struct', 'm', 'P'], ['f', 'fn', 'm', 'f'], ['g', 'fn', 'o', 'g']],
      dataSize: 0, uses: [{ symbol: 'g', at: 'm.spl:1:1' }],
    };
    const { bytes, directory } = writeInterface(iface);
    expect(utf8.decode(bytes)).toBe(JSON.stringify(iface));
    // Byte offsets, past a two-byte character.
    expect(JSON.parse(utf8.decode(bytes.subarray(directory.functions[0], directory.functions[0] + directory.functions[1])))).toEqual(iface.functions[0]);
    expect(utf8.decode(bytes.subarray(...directory.uses))).toBe(JSON.stringify(iface.uses));
    // A scope that lacks an own name is stored whole, and read whole.
    expect(writeInterface({ ...iface, scope: [['g', 'fn', 'o', 'g']] }).directory.foreignScope).toBeUndefined();
  });

  it('lets a JIT read only the records it needs: a broken record shows only when asked for', () => {
    const { lib } = modules();
    const info = sectionBytes(lib, 'type_info').slice();
    const { directory } = parseLoadIndex(utf8.decode(sectionBytes(lib, LOAD_INDEX_SECTION)), lib);
    const i = directory!.fnSymbols.indexOf('total');
    const start = directory!.functions[0] + directory!.functions.slice(1, i + 1).reduce((n, len) => n + len + 1, 0);
    info.fill(0x20, start, start + directory!.functions[i + 1]); // blanks: not JSON
    withSection(lib, 'type_info', info);
    const loader = new ModuleLoader();
    expect(loader.load(lib).kind).toBe('loaded');
    const max = loader.resolveSymbol('max<f64>');
    expect(max.kind === 'jit' && max.call(2.5, 1.5)).toBe(2.5);
    // Through the split scope: an own struct and its method, a private function, a function and a struct of base.
    const apply = loader.resolveSymbol('apply<i64>');
    expect(apply.kind === 'jit' && apply.call(0n)).toBe(18n);
    const total = loader.resolveSymbol('total');
    expect(total.kind === 'error' && total.message).toBe(`${lib}: type_info: functions[${i}] at byte ${start} is not valid JSON (Unexpected end of JSON input)`);
  });

  it('refuses a record that is not the one the directory names, or an export the index does not list', () => {
    const { lib } = modules();
    const text = utf8.decode(sectionBytes(lib, LOAD_INDEX_SECTION));
    const index = JSON.parse(text);
    const swapped = [...index.directory.fnSymbols];
    const [a, b] = [swapped.indexOf('max'), swapped.indexOf('total')];
    [swapped[a], swapped[b]] = [swapped[b], swapped[a]];
    withSection(lib, LOAD_INDEX_SECTION, new TextEncoder().encode(JSON.stringify({ ...index, directory: { ...index.directory, fnSymbols: swapped } })));
    const loader = new ModuleLoader();
    expect(loader.load(lib).kind).toBe('loaded');
    const max = loader.resolveSymbol('max<i64>');
    expect(max.kind === 'error' && max.message).toMatch(new RegExp(`type_info: functions\\[${b}\\] is (max|total), which is not the function the load index lists there$`));
  });

  it('refuses, lookup after lookup, a free function the directory calls a method', () => {
    const { lib } = modules();
    const index = JSON.parse(utf8.decode(sectionBytes(lib, LOAD_INDEX_SECTION)));
    const fnOwners = [...index.directory.fnOwners];
    const total = index.directory.fnSymbols.indexOf('total');
    fnOwners[total] = 0; // Point's
    withSection(lib, LOAD_INDEX_SECTION, new TextEncoder().encode(JSON.stringify({ ...index, directory: { ...index.directory, fnOwners } })));
    const loader = new ModuleLoader();
    expect(loader.load(lib).kind).toBe('loaded');
    // Point's methods now include total's record, which says it has no owner: whatever needs
    // Point or total is refused, each time; what needs neither still works.
    const refused = `${lib}: type_info: functions[${total}] is total, which is not the function the load index lists there`;
    for (const name of ['total', 'apply<i64>', 'total', 'apply<i64>']) {
      const r = loader.resolveSymbol(name);
      expect(r.kind === 'error' && r.message).toBe(name === 'total' ? refused : `cannot instantiate 'apply<i64>': ${refused}`);
    }
    const max = loader.resolveSymbol('max<i64>');
    expect(max.kind === 'jit' && max.call(2n, 5n)).toBe(5n);
  });

  it('gives only typed errors for lying directories', () => {
    const { lib } = modules();
    const bytes = readFileSync(lib);
    const index = JSON.parse(utf8.decode(sectionBytes(lib, LOAD_INDEX_SECTION)));
    const numbers = ['structs', 'functions', 'fnOwners', 'scope', 'uses', 'foreignScope'] as const;
    fc.assert(
      fc.property(fc.array(fc.record({ field: fc.constantFrom(...numbers), at: fc.nat(), delta: fc.integer({ min: -40, max: 40 }) }), { minLength: 1, maxLength: 3 }), (edits) => {
        const directory = structuredClone(index.directory);
        for (const e of edits) {
          const list = directory[e.field] as number[];
          if (list.length > 0) list[e.at % list.length] += e.delta;
        }
        writeFileSync(lib, bytes);
        withSection(lib, LOAD_INDEX_SECTION, new TextEncoder().encode(JSON.stringify({ ...index, directory })));
        expectOnlyTypedErrors(lib, ['total', 'max<i64>', 'apply<i64>', 'Point', 'ghost']);
      }),
      { numRuns: 150 },
    );
  });
});
