/**
 * The merges at their edges: relocations still pointing at their immediates in an output of
 * more than 127 functions (a two-byte body count), the static data of a unit followed by one
 * without any, the inputs' bytes left as they were, the output's module name; the template
 * merge's last, empty entry, a Weak definition leaving its member's interface, the scope kept
 * only for members with templates, no TemplateCode section when no input has templates; the
 * note's file of a location whose file name looks like one. Written against the survivors of a
 * mutation run (docs/testing.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/compiler/diagnostics.js';
import { readSmfModule, TEMPLATE_SECTION } from '../../src/compiler/interface/smf-module.js';
import { RelocKind } from '../../src/compiler/lower/unit-abi.js';
import { readWasmModule } from '../../src/compiler/wasm/reader.js';
import { link } from '../../src/linker/link.js';
import type { LinkInput, LinkOptions, LinkResult } from '../../src/linker/link.js';
import type { LinkInstance } from '../../src/linker/instantiate.js';
import { mergeLinkNote } from '../../src/linker/merge-note.js';
import { mergeTemplates } from '../../src/linker/merge-templates.js';
import { readObjModule } from '../../src/linker/obj-module.js';
import { Binding, moduleSpecFromReader, SectionType, SmfReader, writeSmf } from '../../src/smf/index.js';
import { parseType } from '../../src/types/index.js';
import { compileFolder, compileTo, PROGRAMS, runMain, tempDir } from './helpers.js';

let shapes: Map<string, string>;
let small: Map<string, string>;
let dir: string;
const CHAIN = 130;
beforeAll(() => {
  shapes = compileFolder(join(PROGRAMS, 'shapes'));
  dir = tempDir();
  const src = join(dir, 'src');
  const files: Record<string, string> = {
    // 11 bytes of static data ("abc" after its 8-byte header): not a multiple of the 8-byte alignment.
    texts: 'fn main():\n    print("abc")\n',
    plain: 'fn two() -> i64:\n    2\n',
    // One function per link in a chain of calls: more bodies than a one-byte count holds.
    chain: [
      ...Array.from({ length: CHAIN - 1 }, (_, i) => `fn step${i}(x: i64) -> i64:\n    step${i + 1}(x + ${i})\n`),
      `fn step${CHAIN - 1}(x: i64) -> i64:\n    x\n`,
      'fn main():\n    print(step0(1))\n    print("done")\n',
    ].join('\n'),
  };
  small = new Map();
  // Each on its own: two of them define main.
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, `${name}.spl`), text);
    small.set(name, compileTo([join(dir, `${name}.spl`)], src).get(name)!);
  }
});

function linked(inputs: readonly LinkInput[], options: LinkOptions = {}): Extract<LinkResult, { ok: true }> {
  const r = link(inputs, options);
  if (!r.ok) throw new Error(formatDiagnostics(r.errors));
  return r;
}

/** The value of the 5-byte padded LEB128 at `at` (signed for data addresses). */
function padded(code: Uint8Array, at: number, signed: boolean): number {
  let v = 0;
  for (let i = 0; i < 4; i++) v |= (code[at + i] & 0x7f) << (7 * i);
  v += (code[at + 4] & 0x7f) * 2 ** 28;
  return signed && v >= 2 ** 31 ? v - 2 ** 32 : v;
}

describe('the code merge', () => {
  it('with more than 127 functions every relocation of the output points at the immediate it describes', () => {
    const r = linked([small.get('chain')!]);
    const wasm = readWasmModule(readSmfModule(SmfReader.fromBytes(r.bytes)).code);
    expect(wasm.functions.length).toBe(CHAIN + 1);
    expect(wasm.relocs!.length).toBeGreaterThanOrEqual(CHAIN);
    for (const reloc of wasm.relocs!) {
      const signed = reloc.kind === RelocKind.data;
      expect([reloc.kind, padded(wasm.code, reloc.offset, signed)]).toEqual([reloc.kind, reloc.value]);
    }
    const out = join(dir, 'chain.smf');
    writeFileSync(out, r.bytes);
    // step0(1) adds 0 + 1 + … + 128 on the way down.
    expect(runMain(out).output).toBe(`${1 + (128 * 129) / 2}\ndone\n`);
  });

  it('a unit without static data after one with 11 bytes adds no padding to the data', () => {
    const texts = readObjModule(small.get('texts')!).dataSize;
    expect(texts % 8).not.toBe(0);
    const r = linked([small.get('texts')!, small.get('plain')!]);
    expect(r.stats.dataSize).toBe(texts);
    expect(readSmfModule(SmfReader.fromBytes(r.bytes)).iface.dataSize).toBe(texts);
  });

  it('leaves the bytes of inputs held in memory as they were', () => {
    const inputs = ['app', 'util', 'geometry'].map((m) => ({ file: `${m}.smf`, bytes: new Uint8Array(readFileSync(shapes.get(m)!)) }));
    const before = inputs.map((i) => Uint8Array.from(i.bytes));
    const first = linked(inputs).bytes;
    inputs.forEach((input, i) => expect(input.bytes).toEqual(before[i]));
    // …so the same inputs link again to the same output.
    expect(linked(inputs).bytes).toEqual(first);
  });
});

/** The module name in a WebAssembly module's `name` section (subsection 0), read from the bytes. */
function wasmModuleName(wasm: Uint8Array): string | undefined {
  let pos = 8;
  const leb = (): number => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const b = wasm[pos++];
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
  };
  const text = (): string => {
    const n = leb();
    pos += n;
    return new TextDecoder().decode(wasm.subarray(pos - n, pos));
  };
  while (pos < wasm.length) {
    const id = wasm[pos++];
    const size = leb();
    const end = pos + size;
    if (id === 0 && text() === 'name' && wasm[pos] === 0) {
      pos++;
      leb();
      return text();
    }
    pos = end;
  }
  return undefined;
}

describe('the output module', () => {
  it('is named as the link names it, in its name section', () => {
    const r = linked([small.get('plain')!], { name: 'prog' });
    expect(wasmModuleName(readSmfModule(SmfReader.fromBytes(r.bytes)).code)).toBe('prog');
  });
});

describe('the template merge', () => {
  it('a last entry of length 0 ending exactly at the section end is carried over', () => {
    const bytes = readFileSync(shapes.get('util')!);
    const spec = moduleSpecFromReader(SmfReader.fromBytes(bytes));
    const section = spec.sections.find((s) => s.name === TEMPLATE_SECTION)!.data;
    const data = new Uint8Array(section.length + 4);
    data.set(section);
    const count = new DataView(data.buffer).getUint32(6, true);
    new DataView(data.buffer).setUint32(6, count + 1, true);
    const util = readObjModule({ file: 'util.smf', bytes: writeSmf({ ...spec, sections: spec.sections.map((s) => (s.name === TEMPLATE_SECTION ? { ...s, data } : s)) }) });
    const r = mergeTemplates([util], [new Set()]);
    // The same merge without the empty entry (its private templates' entries are renamed, so longer).
    const base = mergeTemplates([readObjModule(shapes.get('util')!)], [new Set()]).bytes!;
    expect(new DataView(r.bytes!.buffer).getUint32(6, true)).toBe(count + 1);
    expect(r.bytes!.length).toBe(base.length + 4);
    expect(r.bytes!.subarray(0, base.length).subarray(10)).toEqual(base.subarray(10));
    expect([...r.bytes!.subarray(-4)]).toEqual([0, 0, 0, 0]);
    expect(r.offsets[0].get(section.length)).toBe(base.length);
  });

  it('a TemplateCode section that is the first section of its file is merged like any other', () => {
    const bytes = readFileSync(shapes.get('util')!);
    const reader = SmfReader.fromBytes(bytes);
    const spec = moduleSpecFromReader(reader);
    const from = spec.sections.findIndex((s) => s.name === TEMPLATE_SECTION);
    expect(from).toBeGreaterThan(0);
    // The sections in a new order, the template section first; symbols follow their sections.
    const order = [from, ...spec.sections.map((_, i) => i).filter((i) => i !== from)];
    const util = writeSmf({
      ...spec,
      sections: order.map((i) => spec.sections[i]),
      symbols: spec.symbols!.map((s) => (s.sectionIndex === undefined ? s : { ...s, sectionIndex: order.indexOf(s.sectionIndex) })),
      note: reader.noteSdnText(),
    });
    const first = SmfReader.fromBytes(util);
    expect(first.findSectionIndex(SectionType.TemplateCode, TEMPLATE_SECTION)).toBe(0);
    const r = linked([shapes.get('app')!, { file: 'util.smf', bytes: util }, shapes.get('geometry')!]);
    const out = join(dir, 'first-section.smf');
    writeFileSync(out, r.bytes);
    expect(runMain(out).output).toBe('9\nbanana\n6.75\n1003\n2\n2\n7\n1\nx\n');
  });

  it('a Weak definition another input wins over leaves its member’s functions; the others stay', () => {
    const first = compileTo([join(PROGRAMS, 'duplicate/one/first.spl')], tempDir()).get('first')!;
    const second = compileTo([join(PROGRAMS, 'duplicate/two/second.spl')], tempDir()).get('second')!;
    const spec = moduleSpecFromReader(SmfReader.fromBytes(readFileSync(first)));
    const weak = writeSmf({
      ...spec,
      symbols: spec.symbols!.map((s) => (s.name === 'helper' ? { ...s, binding: Binding.Weak } : s)),
      note: SmfReader.fromBytes(readFileSync(first)).noteSdnText(),
    });
    const r = linked([{ file: 'first.smf', bytes: weak }, second]);
    const members = readSmfModule(SmfReader.fromBytes(r.bytes)).iface.members!;
    expect(members.map((m) => [m.module, m.functions.map((f) => f.symbol)])).toEqual([
      ['first', ['main']],
      ['second', ['helper']],
    ]);
  });

  it('keeps the scope only of members with templates', () => {
    const inputs = ['app', 'util', 'geometry'].map((m) => shapes.get(m)!);
    // The scopes as the inputs give them, private names qualified.
    const before = inputs.map((p) => readObjModule(p).members[0].iface);
    expect(before[0].scope.length).toBeGreaterThan(0);
    const members = readSmfModule(SmfReader.fromBytes(linked(inputs).bytes)).iface.members!;
    expect(members.map((m) => m.module)).toEqual(['app', 'util', 'geometry']);
    expect(members[0].scope).toEqual([]);
    expect(members[1].scope).toEqual(before[1].scope);
    expect(members[2].scope).toEqual(before[2].scope);
  });

  it('an output of inputs without templates has no TemplateCode section', () => {
    const r = linked([small.get('texts')!, small.get('plain')!]);
    expect(SmfReader.fromBytes(r.bytes).findSectionIndex(SectionType.TemplateCode, TEMPLATE_SECTION)).toBe(-1);
    expect(r.stats.templates).toBe(0);
  });
});

describe('the linked note', () => {
  it('the file of a location is everything before its last line and column, whatever the file is called', () => {
    const i64 = parseType('i64');
    const at = (where: string) => ({ symbol: `f$${where.length}`, template: 'f', args: [i64], site: { module: 'app', at: where }, requires: [] }) as unknown as LinkInstance;
    const sites = ['dir:1:2/app.spl:14:11', 'app.spl:12:3', 'app.spl:4:5:jit', 'app.spl'];
    const note = mergeLinkNote([], 'out.smf', sites.map(at), [], [], new Map(), (m) => `${m}.spl`);
    expect(note.instantiations.map((r) => [r.fromLoc, r.fromFile])).toEqual([
      ['dir:1:2/app.spl:14:11', 'dir:1:2/app.spl'],
      ['app.spl:12:3', 'app.spl'],
      ['app.spl:4:5:jit', 'app.spl'],
      ['app.spl', 'app.spl'],
    ]);
  });
});
