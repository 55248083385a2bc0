/**
 * What `link()` reports and writes beyond the program's behaviour: each count of `stats` against
 * the output it describes (read back independently), the header's flags, entry point and
 * compression, the stub option, and the use sites (`uses`) of what the output still imports.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/compiler/diagnostics.js';
import { readSmfModule } from '../../src/compiler/interface/smf-module.js';
import { readWasmModule } from '../../src/compiler/wasm/reader.js';
import { link } from '../../src/linker/link.js';
import type { LinkInput, LinkOptions, LinkResult } from '../../src/linker/link.js';
import { Binding, Compression, HeaderFlags, moduleSpecFromReader, SmfReader, SymbolFlags, SymbolType, writeSmf } from '../../src/smf/index.js';
import { compileFolder, compileTo, PROGRAMS, runMain, tempDir } from './helpers.js';

let inputs: string[];
let smfs: Map<string, string>;
beforeAll(() => {
  smfs = compileFolder(join(PROGRAMS, 'shapes'));
  inputs = ['app', 'util', 'geometry'].map((m) => smfs.get(m)!);
});

/** How many functions the inputs' code defines. */
function inputFunctions(): number {
  return inputs.reduce((n, p) => n + readWasmModule(readSmfModule(SmfReader.fromBytes(readFileSync(p))).code).functions.length, 0);
}

function linked(files: readonly LinkInput[], options: LinkOptions = {}): Extract<LinkResult, { ok: true }> {
  const r = link(files, options);
  if (!r.ok) throw new Error(formatDiagnostics(r.errors));
  return r;
}

describe('stats', () => {
  it.each(['eager', 'lazy', 'hybrid'] as const)('%s: every count is the output’s own', (policy) => {
    const r = linked(inputs, { instantiate: policy });
    const reader = SmfReader.fromBytes(r.bytes);
    const parts = readSmfModule(reader);
    const wasm = readWasmModule(parts.code);
    const templates = [...reader.symbols()].filter((s) => s.type === SymbolType.Function && (s.flags & SymbolFlags.GENERIC_TEMPLATE) !== 0);
    expect(r.stats).toMatchObject({
      inputs: 3,
      modules: 3,
      functions: wasm.functions.length,
      exports: wasm.exports.length,
      templates: templates.length,
      // Each instance compiled at link time adds one function to those of the inputs.
      instantiated: wasm.functions.length - inputFunctions(),
      deferred: r.note.possible.length,
      relocations: wasm.relocs!.length,
      dataSize: parts.iface.dataSize,
      outputSize: r.bytes.length,
    });
    expect(parts.iface.members).toHaveLength(3);
    expect(wasm.data[0].bytes.length).toBe(parts.iface.dataSize);
    expect(r.stats.dataSize).toBeGreaterThan(0);
    expect(r.stats.relocations).toBeGreaterThan(0);
    // util's max, sum, bump, _pick; geometry's _pick and Stack's methods.
    expect(templates.map((s) => s.name)).toEqual(expect.arrayContaining(['max', 'sum', 'bump', '_pick..util', '_pick..geometry', 'Stack.push']));
    const { ms } = r.stats;
    for (const phase of [ms.read, ms.resolve, ms.instantiate, ms.merge, ms.write]) expect(phase).toBeGreaterThanOrEqual(0);
    expect(ms.total).toBeCloseTo(ms.read + ms.resolve + ms.instantiate + ms.merge + ms.write, 6);
  });

  it('a linked input counts as one input with all its modules', () => {
    const first = linked(inputs, { instantiate: 'lazy' });
    const again = linked([{ file: 'app.smf', bytes: first.bytes }], { instantiate: 'lazy' });
    expect([again.stats.inputs, again.stats.modules]).toEqual([1, 3]);
  });
});

describe('the header', () => {
  it('a program with main is executable and reloadable, with main as its entry point', () => {
    const r = linked(inputs);
    const reader = SmfReader.fromBytes(r.bytes);
    expect(reader.header.flags).toBe(HeaderFlags.EXECUTABLE | HeaderFlags.RELOADABLE | HeaderFlags.HAS_STUB);
    const exports = readWasmModule(readSmfModule(reader).code).exports.map((e) => e.name);
    expect(reader.header.entryPoint).toBe(BigInt(exports.indexOf('main') + 1));
    expect(reader.header.compression).toBe(Compression.None);
    expect([reader.header.prefetchHint, reader.header.prefetchFileCount]).toEqual([0, 0]);
  });

  it('a library without main is only reloadable, with no entry point', () => {
    const r = linked([smfs.get('util')!], { output: 'util.smf' });
    const reader = SmfReader.fromBytes(r.bytes);
    expect(reader.header.flags).toBe(HeaderFlags.RELOADABLE | HeaderFlags.HAS_STUB);
    expect(reader.header.entryPoint).toBe(0n);
  });

  it('compression and the stub are the options', () => {
    const zstd = SmfReader.fromBytes(linked(inputs, { compression: 'zstd', stub: false }).bytes);
    expect(zstd.header.compression).toBe(Compression.Zstd);
    expect(zstd.header.stubSize).toBe(0);
    const plain = linked(inputs);
    expect(Buffer.from(plain.bytes.subarray(0, 19)).toString()).toBe('#!/usr/bin/env smf\n');
    const launcher = new TextEncoder().encode('#!/bin/sh\nexit 3\n');
    const own = linked(inputs, { stub: launcher });
    expect(Buffer.from(own.bytes.subarray(0, launcher.length)).equals(Buffer.from(launcher))).toBe(true);
  });
});

describe('use sites of what the output still imports', () => {
  it('lazy: every deferred instance, once per site, at the call that needs it', () => {
    const r = linked(inputs, { instantiate: 'lazy' });
    const iface = readSmfModule(SmfReader.fromBytes(r.bytes)).iface;
    const calls = iface.code!.calls;
    expect(calls.length).toBeGreaterThan(0);
    // Each site once, every one of an imported symbol, and every imported symbol has one.
    const keys = iface.uses.map((u) => `${u.symbol} ${u.at}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const u of iface.uses) expect(calls).toContain(u.symbol);
    expect([...new Set(iface.uses.map((u) => u.symbol))].sort()).toEqual([...calls].sort());
    const appSpl = join(PROGRAMS, 'shapes/app.spl');
    expect(iface.uses.filter((u) => u.symbol === 'max$i64').map((u) => u.at)).toEqual([`${appSpl}:5:11`]);
  });

  it('eager: nothing is left to import, so there are no use sites', () => {
    const iface = readSmfModule(SmfReader.fromBytes(linked(inputs, { instantiate: 'eager' }).bytes)).iface;
    expect(iface.code!.calls).toEqual([]);
    expect(iface.uses).toEqual([]);
    expect(iface.imports).toEqual([]);
  });

  it('hybrid: only the instances left to the loader', () => {
    const iface = readSmfModule(SmfReader.fromBytes(linked(inputs, { instantiate: 'hybrid' }).bytes)).iface;
    expect([...new Set(iface.uses.map((u) => u.symbol))].sort()).toEqual(['max$i32', 'sum$i32']);
  });
});

it('reads the input files it is given by path', () => {
  const bytes = inputs.map((p) => ({ file: p, bytes: new Uint8Array(readFileSync(p)) }));
  expect(Buffer.from(linked(bytes).bytes).equals(Buffer.from(linked(inputs).bytes))).toBe(true);
});

describe('the symbol table', () => {
  const row = (s: { name: string; type: number; binding: number; flags: number; templateParamCount: number; sectionIndex?: number }) =>
    `${s.name} type=${s.type} binding=${s.binding} flags=${s.flags} params=${s.templateParamCount} section=${s.sectionIndex ?? '-'}`;

  it('lazy: main, each template with its parameter count at its merged entry, the structs, and every deferred instance as undefined', () => {
    const reader = SmfReader.fromBytes(linked(inputs, { instantiate: 'lazy' }).bytes);
    const symbols = [...reader.symbols()];
    const parts = readSmfModule(reader);
    const T = SymbolFlags.GENERIC_TEMPLATE;
    const template = (name: string) => `${name} type=1 binding=1 flags=${T} params=1 section=2`;
    expect(symbols.map(row)).toEqual([
      'main type=1 binding=1 flags=0 params=0 section=0',
      ...['max', '_pick..util', 'sum', 'bump', 'Stack.new', 'Stack.push', 'Stack.pop', 'Stack.size', '_pick..geometry'].map(template),
      'Point type=3 binding=1 flags=0 params=0 section=-',
      `Stack type=3 binding=1 flags=${T} params=1 section=2`,
      ...parts.iface.code!.calls.map((s) => `${s} type=1 binding=1 flags=0 params=0 section=-`),
    ]);
    const exports = readWasmModule(parts.code).exports.map((e) => e.name);
    expect(symbols[0].value).toBe(BigInt(exports.indexOf('main')));
    // A template symbol points where the member interface says its entry is in the merged section.
    const at = new Map(parts.iface.members!.flatMap((m) => m.functions.filter((f) => f.template !== null).map((f) => [f.symbol, f.template!] as const)));
    for (const s of symbols.filter((x) => x.type === SymbolType.Function && (x.flags & T) !== 0)) expect(s.templateOffset).toBe(BigInt(at.get(s.name)!));
    expect(new Set(symbols.filter((x) => (x.flags & T) !== 0).map((x) => x.templateOffset)).size).toBe(10);
    // The generic struct's entry is one of the section's, the payload of a struct template.
    const stack = symbols.find((x) => x.name === 'Stack')!;
    expect(Number(stack.templateOffset)).toBeGreaterThan(Math.max(...at.values()));
  });
});

describe('a weak definition in the output', () => {
  it('keeps its Weak symbol, so a later link lets a strong definition win over it', () => {
    const first = compileTo([join(PROGRAMS, 'duplicate/one/first.spl')], tempDir()).get('first')!;
    const second = compileTo([join(PROGRAMS, 'duplicate/two/second.spl')], tempDir()).get('second')!;
    const reader = SmfReader.fromBytes(readFileSync(first));
    const spec = moduleSpecFromReader(reader);
    spec.symbols = spec.symbols!.map((s) => (s.name === 'helper' ? { ...s, binding: Binding.Weak } : s));
    writeFileSync(first, writeSmf({ ...spec, note: reader.noteSdnText() }));

    const dir = tempDir();
    const once = join(dir, 'once.smf');
    writeFileSync(once, linked([first], { output: once }).bytes);
    const out = SmfReader.fromBytes(readFileSync(once));
    const exports = readWasmModule(readSmfModule(out).code).exports.map((e) => e.name);
    expect([...out.symbols()].map((s) => [s.name, s.type, s.binding, s.flags, s.sectionIndex, Number(s.value)])).toEqual([
      ['helper', SymbolType.Function, Binding.Weak, 0, 0, exports.indexOf('helper')],
      ['main', SymbolType.Function, Binding.Global, 0, 0, exports.indexOf('main')],
    ]);
    expect(runMain(once).output).toBe('1\n');
    // first's helper gives 1, second's 2. main keeps calling the helper of its own unit directly
    // (docs/linker.md: calls stay as the compiler made them); the program's `helper` is second's.
    for (const order of [[once, second], [second, once]]) {
      const twice = join(tempDir(), 'twice.smf');
      writeFileSync(twice, linked(order, { output: twice }).bytes);
      const run = runMain(twice);
      expect(run.output).toBe('1\n');
      const helper = run.loader.resolveSymbol('helper');
      expect(helper.kind).toBe('found');
      if (helper.kind === 'found') expect(helper.call()).toBe(2n);
    }
  });
});

describe('modules the output still imports', () => {
  it('a module used only for its struct and not linked in stays an import, listed once, read ahead, and found at run time', () => {
    const dir = join(tempDir(), 'src');
    mkdirSync(dir);
    writeFileSync(join(dir, 'geo.spl'), 'struct Pt:\n    x: i64\n');
    writeFileSync(join(dir, 'mid.spl'), 'use geo.{Pt}\n\nfn px(p: Pt) -> i64:\n    p.x\n');
    writeFileSync(join(dir, 'app.spl'), 'use geo.{Pt}\nuse mid.{px}\n\nfn main():\n    print(px(Pt(x: 4)))\n');
    const out = join(dir, '..', 'out');
    const smf = compileTo([join(dir, 'app.spl')], out);
    const alone = linked([smf.get('app')!, smf.get('mid')!], { output: 'app.smf' });
    const reader = SmfReader.fromBytes(alone.bytes);
    const iface = readSmfModule(reader).iface;
    expect([iface.imports, iface.importPaths]).toEqual([['geo'], ['geo']]);
    expect([reader.header.prefetchHint, reader.header.prefetchFileCount]).toEqual([1, 1]);
    const path = join(out, 'linked.smf');
    writeFileSync(path, alone.bytes);
    expect(runMain(path).output).toBe('4\n');
    // Linked in, it is a member and no import.
    const whole = readSmfModule(SmfReader.fromBytes(linked([smf.get('app')!, smf.get('mid')!, smf.get('geo')!]).bytes)).iface;
    expect([whole.imports, whole.importPaths]).toEqual([[], []]);
  });
});

it('a diagnostic carries a code or notes only when it has them', () => {
  const r = link([], { output: 'app.smf' });
  expect(!r.ok && r.errors).toStrictEqual([{ severity: 'error', file: 'app.smf', span: null, message: 'nothing to link: no input modules' }]);
});
