/**
 * What a linked SMF holds beside its code: member interfaces packed in `type_info`, and a symbol
 * table of only what the interface cannot tell (docs/smf-format.md, docs/linker.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InterfaceError, parseInterface } from '../../src/compiler/interface/module-interface.js';
import type { ModuleInterfaceJson } from '../../src/compiler/interface/module-interface.js';
import { packMembers, unpackMembers } from '../../src/compiler/interface/packed-members.js';
import { readSmfModule } from '../../src/compiler/interface/smf-module.js';
import { moduleSpecFromReader, SmfReader, SymbolFlags, SymbolType, writeSmf } from '../../src/smf/index.js';
import { compileTo, linkTo, PROGRAMS, runMain, tempDir } from './helpers.js';

const member = (over: Partial<ModuleInterfaceJson>): ModuleInterfaceJson => ({
  format: 1,
  module: 'm',
  imports: [],
  importPaths: [],
  structs: [],
  functions: [],
  scope: [],
  dataSize: 0,
  uses: [],
  ...over,
});

const plain = { symbol: 'add', name: 'add', owner: null, receiver: 'none' as const, typeParams: [], params: [{ name: 'x', type: 'i64' }, { name: 'ys', type: '[f64]' }], ret: 'i64', extern: false, exported: true, template: null };

describe('packed member interfaces', () => {
  it('give back the interfaces they were made from, plain functions as tuples and any other as its object', () => {
    const generic = { ...plain, symbol: 'max', name: 'max', typeParams: ['T'], params: [{ name: 'a', type: 'T' }], ret: 'T', template: 12 };
    const method = { ...plain, symbol: 'Stack.push', name: 'push', owner: 'Stack', receiver: 'me' as const };
    const hidden = { ...plain, symbol: '_h..m', exported: false };
    const external = { ...plain, symbol: 'now', name: 'now', params: [], extern: true };
    const members = [
      member({ module: 'a', functions: [plain, generic, method, hidden, external] }),
      member({
        module: 'b',
        imports: ['a'],
        importPaths: ['sub/a'],
        structs: [{ name: 'P', params: [], fields: [{ name: 'x', type: 'i64' }], exported: true }],
        scope: [['max', 'fn', 'a', 'max']],
        dataSize: 16,
      }),
    ];
    const packed = packMembers(members);
    const list = packed.list as unknown[][];
    expect(list[0]).toEqual(['a', [['add', ['x', 'i64', 'ys', '[f64]'], 'i64'], generic, method, hidden, external]]);
    expect(list[1][2]).toEqual({ imports: ['a'], importPaths: ['sub/a'], structs: members[1].structs, scope: members[1].scope, dataSize: 16 });
    expect(unpackMembers(JSON.parse(JSON.stringify(packed)))).toEqual(members);
  });

  it('are refused with a typed error naming what is wrong when their shape is not the packed one', () => {
    const parse = (members: unknown): string => {
      try {
        parseInterface(JSON.stringify({ ...member({ module: 'app' }), members }), 'app.smf');
      } catch (e) {
        expect(e).toBeInstanceOf(InterfaceError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(parse({ packed: 2, list: [] })).toBe('app.smf: type_info: members: packed format 2 is not one this reader knows (1)');
    expect(parse({ packed: 1, list: {} })).toBe('app.smf: type_info: members: the packed list is not a list');
    expect(parse({ packed: 1, list: [['m']] })).toMatch(/^app\.smf: type_info: members\[0\]: not a packed member/);
    expect(parse({ packed: 1, list: [['m', [['f', ['x'], 'i64']]]] })).toMatch(/members\[0\]: functions\[0\] is not a packed function/);
    expect(parse({ packed: 1, list: [['m', [['f', [], 7]]]] })).toMatch(/members\[0\]: functions\[0\] is not a packed function/);
    // Unpacked, a member is checked as any interface is.
    expect(parse({ packed: 1, list: [[7, []]] })).toBe('app.smf: type_info: members[0]: module or imports missing or mistyped');
    expect(parse({ packed: 1, list: [['m', [], { dataSize: -1 }]] })).toBe('app.smf: type_info: members[0]: dataSize is not a byte count');
  });
});

describe('a linked SMF', () => {
  let modules: Map<string, string>;
  const out = join(tempDir(), 'app.smf');
  let reader: SmfReader;
  beforeAll(() => {
    modules = compileTo([join(PROGRAMS, 'shapes/app.spl'), join(PROGRAMS, 'shapes/util.spl'), join(PROGRAMS, 'shapes/geometry.spl')], tempDir());
  });
  // Linked for each test (the link is what these tests check), not once while the file is collected.
  beforeEach(() => {
    linkTo([...modules.values()], out);
    reader = SmfReader.fromBytes(readFileSync(out));
  });

  it('lists in its symbol table the entry point, templates, structs and what it still imports, not every function', () => {
    const symbols = [...reader.symbols()];
    const functions = symbols.filter((s) => s.type === SymbolType.Function && (s.flags & SymbolFlags.GENERIC_TEMPLATE) === 0 && s.sectionIndex !== undefined);
    expect(functions.map((s) => s.name)).toEqual(['main']);
    expect(reader.header.entryPoint).toBe(functions[0].value + 1n);
    const templates = symbols.filter((s) => (s.flags & SymbolFlags.GENERIC_TEMPLATE) !== 0).map((s) => s.name);
    expect(templates).toEqual(expect.arrayContaining(['max', 'sum', 'Stack.push', 'Stack']));
    expect(symbols.filter((s) => s.type === SymbolType.Type).map((s) => s.name).sort()).toEqual(['Point', 'Stack']);
    // Deferred instances (rarely_used's) are still undefined symbols, as in an object file.
    const undefinedFns = symbols.filter((s) => s.type === SymbolType.Function && s.sectionIndex === undefined).map((s) => s.name);
    expect(undefinedFns.length).toBeGreaterThan(0);
    expect(undefinedFns).toEqual(readSmfModule(reader).iface.code!.calls);
  });

  it('keeps its member interfaces packed, read back whole, with every function its code defines in `code`', () => {
    const raw = JSON.parse(new TextDecoder().decode(reader.sectionData(reader.findSection(9, 'type_info')!.index)));
    expect(raw.members.packed).toBe(1);
    const iface = readSmfModule(reader).iface;
    expect(iface.members!.map((m) => m.module).sort()).toEqual(['app', 'geometry', 'util']);
    const app = iface.members!.find((m) => m.module === 'app')!;
    expect(app.functions.find((f) => f.symbol === 'main')).toEqual({ symbol: 'main', name: 'main', owner: null, receiver: 'none', typeParams: [], params: [], ret: '()', extern: false, exported: true, template: null });
    expect(app.code).toBeUndefined();
    expect(iface.code!.exports).toEqual(expect.arrayContaining(['main', 'rarely_used', 'norm1', '_helper..geometry']));
  });

  it('runs, and links again', () => {
    const first = runMain(out).output;
    expect(first.split('\n')[0]).toBe('9');
    const again = join(tempDir(), 'again.smf');
    linkTo([out], again);
    expect(runMain(again).output).toBe(first);
  });

  it('written before packing (members a plain list), still runs and links again', () => {
    const spec = moduleSpecFromReader(reader);
    const info = spec.sections.findIndex((x) => x.name === 'type_info');
    const iface = readSmfModule(reader).iface;
    spec.sections[info] = { ...spec.sections[info], data: new TextEncoder().encode(JSON.stringify(iface)) };
    const old = join(tempDir(), 'old.smf');
    writeFileSync(old, writeSmf({ ...spec, note: reader.noteSdnText() }));
    const raw = SmfReader.fromBytes(readFileSync(old));
    expect(Array.isArray(JSON.parse(new TextDecoder().decode(raw.sectionData(raw.findSection(9, 'type_info')!.index))).members)).toBe(true);
    expect(runMain(old).output).toBe(runMain(out).output);
    const again = join(tempDir(), 'again.smf');
    linkTo([old], again);
    expect(runMain(again).output).toBe(runMain(out).output);
  });
});
