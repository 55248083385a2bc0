// Issue #10, point 8: files from the original toolchain. `smf inspect` shows an SMF v1.1 file
// whatever its arch — header, sections, symbols, relocations, note.sdn — describing code it cannot
// decode, and a template section in the original writer's layout; `load` and `smf run` refuse a
// module whose arch is not wasm32 with an error naming the arch. Crafted files, real processes.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Arch, Binding, SectionType, SmfReader, SymbolFlags, SymbolType, moduleSpecFromReader, writeSmf } from '../../src/smf/index.js';
import { UnsupportedArchError, describeCode } from '../../src/smf/arch.js';
import { OriginalTemplateError, decodeOriginalTemplateMeta, decodeOriginalTemplates } from '../../src/smf/original-templates.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';

const BIN = join(resolve(__dirname, '../..'), 'dist/cli/smf.js');

function smf(cwd: string, ...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `fn square(x: i64) -> i64` for x86_64 (System V): push rbp; mov rbp,rsp; mov [rbp-8],rdi; mov rax,[rbp-8]; imul rax,rax; pop rbp; ret. */
const X86_CODE = Uint8Array.from([0x55, 0x48, 0x89, 0xe5, 0x48, 0x89, 0x7d, 0xf8, 0x48, 0x8b, 0x45, 0xf8, 0x48, 0x0f, 0xaf, 0xc0, 0x5d, 0xc3].slice(0, 16));

/** A GTPL section as the original Simple writer lays it out: kind-tagged entries, no length prefix. */
class OriginalGtpl {
  private readonly parts: number[] = [];
  private count = 0;
  readonly offsets: number[] = [];
  private u8(v: number): this {
    this.parts.push(v);
    return this;
  }
  private u32(v: number): this {
    this.parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);
    return this;
  }
  private str(s: string): this {
    const b = new TextEncoder().encode(s);
    this.u32(b.length);
    this.parts.push(...b);
    return this;
  }
  private list(xs: string[]): this {
    this.u32(xs.length);
    for (const x of xs) this.str(x);
    return this;
  }
  private begin(kind: number, name: string, generics: string[]): this {
    this.offsets.push(10 + this.parts.length);
    this.count++;
    this.u8(kind).str(name).u8(generics.length);
    for (const g of generics) this.str(g);
    return this;
  }
  fn(name: string, generics: string[], params: string[], ret: string | null, body: string[]): this {
    this.begin(0, name, generics).list(params);
    if (ret === null) this.u8(0);
    else this.u8(1).str(ret);
    return this.list(body).u8(1).u8(0).u32(0);
  }
  struct(name: string, generics: string[], fields: string[]): this {
    return this.begin(1, name, generics).list(fields).u8(1).u8(0).u32(0);
  }
  enum(name: string, generics: string[], variants: string[]): this {
    return this.begin(3, name, generics).list(variants).u8(1).u8(1).str('Option').u32(1).str('T').str('i64');
  }
  bytes(): Uint8Array {
    return Uint8Array.from([0x47, 0x54, 0x50, 0x4c, 1, 0, ...new Uint8Array(new Uint32Array([this.count]).buffer), ...this.parts]);
  }
}

/** The original writer's template_meta: "META", u16 version, four u32 counts, then name + u32 specializations per entry. */
function templateMeta(entries: Array<[string, number]>, counts: [number, number, number, number]): Uint8Array {
  const out: number[] = [0x4d, 0x45, 0x54, 0x41, 1, 0];
  const u32 = (v: number): void => void out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);
  counts.forEach(u32);
  for (const [name, n] of entries) {
    u32(name.length);
    out.push(...new TextEncoder().encode(name));
    u32(n);
  }
  return Uint8Array.from(out);
}

const NOTE = `instantiations |id, template, type_args, mangled_name, from_file, from_loc, to_obj, status|
    0, "max", "i64", "max$i64", "app.spl", "app.spl:4:5", "native.smf", "compiled"

possible |id, template, type_args, mangled_name, required_by, can_defer|

type_inferences |id, inferred_type, expr, context, from_file, from_loc|

dependencies |from_inst, to_inst, dep_kind|
    "max$i64", "i64", "type_param"

circular_warnings |id, cycle_path, severity|

circular_errors |id, cycle_path, error_code|
`;

function nativeModule(): { bytes: Uint8Array; gtpl: OriginalGtpl } {
  const gtpl = new OriginalGtpl()
    .fn('max', ['T'], ['a: T', 'b: T'], 'T', ['if a > b: return a', 'return b'])
    .struct('Pair', ['A', 'B'], ['first: A', 'second: B'])
    .enum('Option', ['T'], ['Some(T)', 'None']);
  const bytes = writeSmf(
    {
      arch: Arch.X86_64,
      platform: 1,
      sections: [
        { type: SectionType.Code, name: 'code', data: X86_CODE, alignment: 1 },
        { type: SectionType.TemplateCode, name: 'template_code', data: gtpl.bytes(), alignment: 1 },
        { type: SectionType.TemplateMeta, name: 'template_meta', data: templateMeta([['max', 2], ['Pair', 0], ['Option', 1]], [1, 1, 1, 0]), alignment: 1 },
      ],
      symbols: [
        { name: 'square', type: SymbolType.Function, binding: Binding.Global, value: 0, size: 16, sectionIndex: 0 },
        { name: 'max', type: SymbolType.Function, binding: Binding.Global, flags: SymbolFlags.GENERIC_TEMPLATE, value: 0, size: 0, templateParamCount: 1, templateOffset: gtpl.offsets[0], sectionIndex: 1 },
        { name: 'helper', type: SymbolType.Function, binding: Binding.Global, value: 0, size: 0 },
      ],
      relocations: [{ offset: 12, symbolIndex: 2, type: 3, addend: -4 }],
      note: NOTE,
    },
    { hash: false }, // the original writer leaves module_hash 0
  );
  return { bytes, gtpl };
}

function dirWith(files: Record<string, Uint8Array | string>): string {
  const d = mkdtempSync(join(tmpdir(), 'smf-orig-'));
  for (const [name, data] of Object.entries(files)) writeFileSync(join(d, name), data);
  return d;
}

describe('the original writer\'s template layout', () => {
  it('decodes functions, structs and enums with their generic parameters', () => {
    const { gtpl } = nativeModule();
    const t = decodeOriginalTemplates(gtpl.bytes());
    expect(t.map((x) => [x.offset, x.kind, x.name, x.genericParams])).toEqual([
      [gtpl.offsets[0], 'function', 'max', ['T']],
      [gtpl.offsets[1], 'struct', 'Pair', ['A', 'B']],
      [gtpl.offsets[2], 'enum', 'Option', ['T']],
    ]);
    expect(t[0]).toMatchObject({ members: ['a: T', 'b: T'], returnType: 'T', body: ['if a > b: return a', 'return b'], isGenericTemplate: true });
    expect(t[2]).toMatchObject({ specializationOf: 'Option', typeBindings: { T: 'i64' } });
  });

  it('says where a section breaks the layout', () => {
    const bytes = new OriginalGtpl().fn('f', [], [], null, []).bytes();
    expect(() => decodeOriginalTemplates(bytes.subarray(0, bytes.length - 2))).toThrow(OriginalTemplateError);
    const bad = bytes.slice();
    bad[10] = 9; // kind
    expect(() => decodeOriginalTemplates(bad)).toThrow(/entry 0: kind 9 is not 0\.\.4 at section offset 0xa/);
    const huge = bytes.slice();
    huge.set([0xff, 0xff, 0xff, 0x7f], 11); // the name's length
    expect(() => decodeOriginalTemplates(huge)).toThrow(/name runs past the end of the section/);
  });
});

describe('smf inspect on an x86_64 module from the original toolchain', () => {
  it('shows header, sections, symbols, relocations, templates and note.sdn; describes the code', () => {
    const d = dirWith({ 'native.smf': nativeModule().bytes });
    const r = smf(d, 'inspect', 'native.smf');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}arch {14}X86_64$/m);
    expect(r.stdout).toMatch(/^ {2}platform {10}Linux$/m);
    expect(r.stdout).toContain('Code section 0 (code): x86_64 machine code, 16 bytes');
    expect(r.stdout).toMatch(/square\s+Function\s+Global\s+-\s+0/);
    expect(r.stdout).toMatch(/max\s+Function\s+Global\s+GENERIC_TEMPLATE/);
    expect(r.stdout).toMatch(/Relocations \(1\):\n.*\n {2}12\s+helper\s+3\s+-4/);
    expect(r.stdout).toContain("Templates (3), in the original Simple writer's layout:");
    expect(r.stdout).toMatch(/function\s+max\s+fn max<T>\(a: T, b: T\) -> T \(2 statements\)/);
    expect(r.stdout).toMatch(/struct\s+Pair\s+struct Pair<A, B> \{ first: A, second: B \}/);
    expect(r.stdout).toMatch(/max\s+i64\s+max\$i64\s+app\.spl:4:5\s+native\.smf\s+compiled/);
    expect(r.stdout).not.toContain('Code (WebAssembly)');
    expect(r.stdout).toMatch(/Template meta \(1 functions, 1 structs, 1 enums, 0 traits\):\n.*\n {2}function\s+max\s+2\n {2}struct\s+Pair\s+0\n {2}enum\s+Option\s+1\n/);

    const json = JSON.parse(smf(d, 'inspect', 'native.smf', '--json').stdout);
    expect(json.header.arch).toBe('X86_64');
    expect(json.code).toBeNull();
    expect(json.codeSections).toEqual([{ index: 0, name: 'code', description: 'x86_64 machine code, 16 bytes' }]);
    expect(json.templateLayout).toBe('original');
    expect(json.templates.map((t: { kind: string; symbol: string }) => `${t.kind} ${t.symbol}`)).toEqual(['function max', 'struct Pair', 'enum Option']);
    expect(json.relocations).toEqual([{ offset: '12', symbol: 'helper', type: 3, addend: '-4' }]);
    expect(json.templateMeta.entries).toEqual([
      { kind: 'function', name: 'max', specializations: 2 },
      { kind: 'struct', name: 'Pair', specializations: 0 },
      { kind: 'enum', name: 'Option', specializations: 1 },
    ]);
    expect(json.note.dependencies).toEqual([{ fromInst: 'max$i64', toInst: 'i64', depKind: 'type_param' }]);
  });

  it('describes a template section in neither layout, and an unreadable note, instead of failing', () => {
    const { bytes } = nativeModule();
    const spec = moduleSpecFromReader(SmfReader.fromBytes(bytes));
    spec.sections = spec.sections.map((s) => (s.type === SectionType.TemplateCode ? { ...s, data: Uint8Array.from([0x47, 0x54, 0x50, 0x4c, 1, 0, 1, 0, 0, 0, 7, 7, 7]) } : s));
    spec.note = 'instantiations |id, template|\n    0, "unterminated\n';
    const d = dirWith({ 'odd.smf': writeSmf(spec) });
    const r = smf(d, 'inspect', 'odd.smf');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Templates \(0\):\n {2}13 bytes in neither entry layout \(this toolchain's: .+; the original writer's: template_code: entry 0: kind 7 is not 0\.\.4 at section offset 0xa\)/);
    expect(r.stdout).toMatch(/note\.sdn:\n {2}not readable: .+/);
    expect(decodeOriginalTemplateMeta(templateMeta([['max', 2]], [1, 0, 0, 0])).entries).toEqual([{ kind: 'function', name: 'max', specializations: 2 }]);
    expect(() => decodeOriginalTemplateMeta(templateMeta([['max', 2]], [2, 0, 0, 0]))).toThrow(/template_meta: function entries: 2 entries cannot fit in the 11 bytes left at section offset 0x16/);
  });

  it('a symbol it cannot read is listed as a problem; the other symbols, the relocations and the note stand', () => {
    const bytes = nativeModule().bytes.slice();
    const reader = SmfReader.fromBytes(bytes, { verifyHash: false });
    const entry = reader.dataOffset + Number(reader.header.symbolTableOffset) + 1 * 56; // symbol 1, 'max'
    bytes[entry + 4] ^= 0xff; // its name hash
    const d = dirWith({ 'bad.smf': bytes });
    const r = smf(d, 'inspect', 'bad.smf');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Problems \(1\):\n {2}.*bad\.smf: symbol\[1\]\.name_hash: 0x[0-9a-f]+ is not the FNV-1a hash of "max"/);
    expect(r.stdout).toMatch(/Symbols \(2\):/);
    expect(r.stdout).toMatch(/12\s+helper\s+3\s+-4/);
    expect(r.stdout).toMatch(/max\s+i64\s+max\$i64/);
    expect(JSON.parse(smf(d, 'inspect', 'bad.smf', '--json').stdout).problems).toHaveLength(1);
  });

  it('names an arch the format does not define', () => {
    const spec = moduleSpecFromReader(SmfReader.fromBytes(nativeModule().bytes));
    const d = dirWith({ 'nine.smf': writeSmf({ ...spec, arch: 9 }) });
    const r = smf(d, 'inspect', 'nine.smf', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).codeSections[0].description).toBe('code for unknown arch 9, 16 bytes');
  });
});

describe('load and run refuse a module that is not wasm32', () => {
  const APP = 'fn main() -> i64:\n    print("wasm")\n    7\n';

  it('smf run: the native module, and a wasm module relabelled x86_64 (which used to run as wasm)', () => {
    const d = dirWith({ 'native.smf': nativeModule().bytes, 'app.spl': APP });
    const native = smf(d, 'run', 'native.smf');
    expect(native.code).toBe(1);
    expect(native.stdout).toBe('');
    expect(native.stderr).toMatch(/^error: .*native\.smf: header\.arch: the module is built for x86_64 \(arch 0\) at byte 0x[0-9a-f]+; only wasm32 modules can be loaded and run/);

    const link = smf(d, 'link', 'native.smf', '-o', 'out.smf');
    expect(link.code).toBe(1);
    expect(link.stderr).toMatch(/^native\.smf: error: header\.arch: the module is built for x86_64 \(arch 0\)/);

    expect(smf(d, 'compile', 'app.spl').code).toBe(0);
    expect(smf(d, 'run', 'app.smf')).toMatchObject({ code: 7, stdout: 'wasm\n' });
    const spec = moduleSpecFromReader(SmfReader.fromBytes(readFileSync(join(d, 'app.smf'))));
    writeFileSync(join(d, 'arm.smf'), writeSmf({ ...spec, arch: Arch.AArch64 }));
    const relabelled = smf(d, 'run', 'arm.smf');
    expect(relabelled.code).toBe(1);
    expect(relabelled.stdout).toBe('');
    expect(relabelled.stderr).toMatch(/built for aarch64 \(arch 1\)/);
    // inspect still shows it, and says what the header says the code is.
    expect(smf(d, 'inspect', 'arm.smf').stdout).toContain('Code section 0 (code): aarch64 machine code, ');
  });

  it("a wasm32 module whose templates are in the original writer's layout: inspect lists them, instantiating one says why it cannot", () => {
    const d = dirWith({
      'lib.spl': 'fn max<T>(a: T, b: T) -> T:\n    if a > b:\n        return a\n    b\n',
      'app.spl': 'use lib.{max}\n\nfn main() -> i64:\n    max(3, 11)\n',
    });
    expect(smf(d, 'compile', 'lib.spl', 'app.spl').code).toBe(0);
    const spec = moduleSpecFromReader(SmfReader.fromBytes(readFileSync(join(d, 'lib.smf'))));
    const gtpl = new OriginalGtpl().fn('max', ['T'], ['a: T', 'b: T'], 'T', ['if a > b: return a', 'return b']);
    spec.sections = spec.sections.map((s) => (s.type === SectionType.TemplateCode ? { ...s, data: gtpl.bytes() } : s));
    spec.symbols = spec.symbols!.map((s) => (s.name === 'max' ? { ...s, templateOffset: gtpl.offsets[0] } : s));
    writeFileSync(join(d, 'lib.smf'), writeSmf(spec));

    const shown = smf(d, 'inspect', 'lib.smf');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("Templates (1), in the original Simple writer's layout:");
    expect(shown.stdout).toContain('Code section 0 (code): WebAssembly module, ');

    const run = smf(d, 'run', 'app.smf');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot instantiate 'max<i64>': template encoding: ${join(d, 'lib.smf')}: the TemplateCode section is in the original Simple writer's layout (1 entries of source text, not syntax trees), which cannot be instantiated here; compile the module again with 'smf compile'`);
  });

  it('ModuleLoader.load returns the typed error with the arch and the offset of its byte', () => {
    const d = dirWith({ 'native.smf': nativeModule().bytes });
    const loader = new ModuleLoader();
    const r = loader.load(join(d, 'native.smf'));
    expect(r.kind).toBe('error');
    const e = (r as { error: unknown }).error;
    expect(e).toBeInstanceOf(UnsupportedArchError);
    expect(e).toMatchObject({ code: 'SMF_UNSUPPORTED_ARCH', arch: Arch.X86_64, archName: 'x86_64', file: join(d, 'native.smf') });
    const reader = SmfReader.fromBytes(nativeModule().bytes);
    expect((e as UnsupportedArchError).offset).toBe(reader.headerOffset + 7);
  });

  it('describeCode says what it can without decoding', () => {
    expect(describeCode(Arch.X86_64, X86_CODE)).toBe('x86_64 machine code, 16 bytes');
    expect(describeCode(Arch.Wasm32, Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))).toBe('WebAssembly module, 8 bytes');
    expect(describeCode(Arch.Wasm32, X86_CODE)).toBe('wasm32 code, 16 bytes, not a WebAssembly module');
    expect(describeCode(Arch.RiscV64, new Uint8Array(1))).toBe('riscv64 machine code, 1 byte');
  });
});
